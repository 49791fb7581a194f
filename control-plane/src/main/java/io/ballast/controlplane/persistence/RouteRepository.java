package io.ballast.controlplane.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Routes by name, in name order. */
@ApplicationScoped
public class RouteRepository implements PanacheRepository<RouteEntity> {

    public Optional<RouteEntity> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    public List<RouteEntity> listAllByName() {
        return listAll(Sort.by("name"));
    }

    public List<RouteEntity> page(String after, int limit) {
        return (after == null ? find("order by name") : find("name > ?1 order by name", after))
                .page(0, limit).list();
    }

    /**
     * Names of the routes that send traffic to {@code poolName}: as their pool, as one pool of a weighted split, or
     * as the pool their mirror copies go to (found in the canonical settings JSON, where each of these is
     * {@code "pool":"<name>"}; pool names are slugs, so they hold no LIKE wildcard).
     */
    public List<String> namesUsingPool(String poolName) {
        return list("poolName = ?1 or settings like ?2 order by name", poolName,
                "%\"pool\":\"" + poolName + "\"%").stream().map(r -> r.name).toList();
    }
}
