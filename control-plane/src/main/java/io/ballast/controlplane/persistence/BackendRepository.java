package io.ballast.controlplane.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Backends of a pool, in name order. */
@ApplicationScoped
public class BackendRepository implements PanacheRepository<BackendEntity> {

    public List<BackendEntity> listByPool(long poolId) {
        return list("poolId = ?1 order by name", poolId);
    }

    public Optional<BackendEntity> findInPool(long poolId, String name) {
        return find("poolId = ?1 and name = ?2", poolId, name).firstResultOptional();
    }

    /** At most {@code limit} backends of the pool whose name sorts after {@code after} (null: from the start). */
    public List<BackendEntity> pageByPool(long poolId, String after, int limit) {
        return (after == null ? find("poolId = ?1 order by name", poolId) : find("poolId = ?1 and name > ?2 order by name", poolId, after))
                .page(0, limit).list();
    }

    public List<BackendEntity> listAllOrdered() {
        return list("order by poolId, name");
    }
}
