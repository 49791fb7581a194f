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

    public List<TokenEntity> listByLookupKey(String lookupKey) {
        return list("lookupKey", lookupKey);
    }
}
