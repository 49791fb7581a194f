package io.ballast.controlplane.config;

import io.ballast.controlplane.persistence.ConfigRows;
import io.ballast.controlplane.persistence.PoolRepository;
import io.ballast.controlplane.persistence.RouteEntity;
import io.ballast.controlplane.persistence.RouteRepository;
import io.ballast.controlplane.revision.ConfigWriter;
import io.ballast.model.Route;
import io.ballast.model.validation.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/** Routes. A route must name an existing pool. Thread-safe (stateless). */
@ApplicationScoped
public class RouteService {
    private final RouteRepository routes;
    private final PoolRepository pools;
    private final ConfigWriter writer;

    RouteService(RouteRepository routes, PoolRepository pools, ConfigWriter writer) {
        this.routes = routes;
        this.pools = pools;
        this.writer = writer;
    }

    @Transactional
    public List<Route> list(String after, int limit) {
        return routes.page(after, limit).stream().map(ConfigRows::route).toList();
    }

    @Transactional
    public Route get(String name) {
        return ConfigRows.route(require(name));
    }

    public Route create(String author, Route route) {
        Validation.requireValid(route);
        return writer.write(author, "create route " + route.name(), () -> {
            if (routes.findByName(route.name()).isPresent()) {
                throw new ResourceConflictException("route '" + route.name() + "' already exists");
            }
            requirePool(route);
            RouteEntity row = new RouteEntity();
            row.name = route.name();
            copy(route, row);
            routes.persist(row);
            return ConfigRows.route(row);
        });
    }

    public Route replace(String author, String name, Route body) {
        Validation.requireSameName(body.name(), name);
        Route route = Records.withName(body, name);
        Validation.requireValid(route);
        return writer.write(author, "update route " + name, () -> {
            RouteEntity row = require(name);
            requirePool(route);
            copy(route, row);
            return ConfigRows.route(row);
        });
    }

    public void delete(String author, String name) {
        writer.write(author, "delete route " + name, () -> {
            routes.delete(require(name));
            return null;
        });
    }

    private RouteEntity require(String name) {
        return routes.findByName(name).orElseThrow(() -> new ResourceNotFoundException("route '" + name + "' does not exist"));
    }

    /** A missing pool is a property of the body (422 on {@code pool}), not a missing resource (404). */
    private void requirePool(Route route) {
        if (pools.findByName(route.pool()).isEmpty()) {
            Validation.require(List.of(new Violation("pool", "pool '" + route.pool() + "' does not exist")));
        }
    }

    private static void copy(Route route, RouteEntity row) {
        row.poolName = route.pool();
        row.settings = ConfigRows.routeSettings(route);
    }
}
