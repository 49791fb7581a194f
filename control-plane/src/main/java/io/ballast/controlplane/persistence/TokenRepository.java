package io.ballast.controlplane.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** API tokens, found by name or by the short lookup key derived from the secret. */
@ApplicationScoped
public class TokenRepository implements PanacheRepository<TokenEntity> {

    public Optional<TokenEntity> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    /** At most {@code limit} tokens whose name sorts after {@code after} (null: from the start). */
    public List<TokenEntity> page(String after, int limit) {
        return (after == null ? find("order by name") : find("name > ?1 order by name", after)).page(0, limit).list();
    }

    public List<TokenEntity> listByLookupKey(String lookupKey) {
        return list("lookupKey", lookupKey);
    }
}
