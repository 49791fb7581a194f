package io.ballast.controlplane.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Pools by name, in name order (names are the API's keys and its paging cursor). */
@ApplicationScoped
public class PoolRepository implements PanacheRepository<PoolEntity> {

    public Optional<PoolEntity> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    public List<PoolEntity> listAllByName() {
        return listAll(Sort.by("name"));
    }

    /** At most {@code limit} pools whose name sorts after {@code after} (null: from the start). */
    public List<PoolEntity> page(String after, int limit) {
        return (after == null ? find("order by name") : find("name > ?1 order by name", after))
                .page(0, limit).list();
    }
}
