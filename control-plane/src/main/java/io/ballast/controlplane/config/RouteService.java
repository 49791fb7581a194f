package io.ballast.controlplane.config;

import io.ballast.controlplane.persistence.ConfigRows;
import io.ballast.controlplane.persistence.PoolRepository;
import io.ballast.controlplane.persistence.RouteEntity;
import io.ballast.controlplane.persistence.RouteRepository;
import io.ballast.controlplane.revision.Change;
import io.ballast.controlplane.revision.ConfigWriter;
import io.ballast.model.Route;
import io.ballast.model.validation.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.function.UnaryOperator;

/** Routes. A route must name an existing pool, unless it answers itself. Thread-safe (stateless). */
@ApplicationScoped
public class RouteService {
    private final RouteRepository routes;
    private final PoolRepository pools;
    private final ConfigWriter writer;
    private final Validation validation;

    RouteService(RouteRepository routes, PoolRepository pools, ConfigWriter writer, Validation validation) {
        this.routes = routes;
        this.pools = pools;
        this.writer = writer;
        this.validation = validation;
    }

    @Transactional
    public List<Route> list(String after, int limit) {
        return routes.page(after, limit).stream().map(ConfigRows::route).toList();
    }

    @Transactional
    public Versioned<Route> get(String name) {
        RouteEntity row = require(name);
        return new Versioned<>(ConfigRows.route(row), row.version);
    }

    public Versioned<Route> create(Change change, Route route) {
        validation.requireValid(route);
        return writer.write(change.describedAs("create route " + route.name()), () -> {
            if (routes.findByName(route.name()).isPresent()) {
                throw new ResourceConflictException("route '" + route.name() + "' already exists");
            }
            requirePool(route);
            RouteEntity row = new RouteEntity();
            row.name = route.name();
            copy(route, row);
            routes.persist(row);
            return versioned(row);
        });
    }

    public Versioned<Route> replace(Change change, String name, Route body, Precondition precondition) {
        Validation.requireSameName(body.name(), name);
        Route route = Records.withName(body, name);
        validation.requireValid(route);
        return writer.write(change.describedAs("update route " + name), () -> {
            RouteEntity row = require(name);
            precondition.check(row.version, "route '" + name + "'");
            requirePool(route);
            copy(route, row);
            return versioned(row);
        });
    }

    /** Applies a merge patch (as a function) to the route as it is now, inside the write transaction. */
    public Versioned<Route> patch(Change change, String name, UnaryOperator<Route> patch, Precondition precondition) {
        return writer.write(change.describedAs("update route " + name), () -> {
            RouteEntity row = require(name);
            precondition.check(row.version, "route '" + name + "'");
            Route patched = patch.apply(ConfigRows.route(row));
            Validation.requireSameName(patched.name(), name);
            Route route = Records.withName(patched, name);
            validation.requireValid(route);
            requirePool(route);
            copy(route, row);
            return versioned(row);
        });
    }

    public void delete(Change change, String name, Precondition precondition) {
        writer.write(change.describedAs("delete route " + name), () -> {
            RouteEntity row = require(name);
            precondition.check(row.version, "route '" + name + "'");
            routes.delete(row);
            return null;
        });
    }

    private Versioned<Route> versioned(RouteEntity row) {
        routes.flush();
        return new Versioned<>(ConfigRows.route(row), row.version);
    }

    private RouteEntity require(String name) {
        return routes.findByName(name).orElseThrow(() -> new ResourceNotFoundException("route '" + name + "' does not exist"));
    }

    /** A missing pool is a property of the body (422 on {@code pool}), not a missing resource (404). */
    private void requirePool(Route route) {
        if (route.pool() != null && pools.findByName(route.pool()).isEmpty()) {
            Validation.require(List.of(new Violation("pool", "pool '" + route.pool() + "' does not exist")));
        }
        List<Violation> missing = new java.util.ArrayList<>();
        for (int i = 0; route.pools() != null && i < route.pools().size(); i++) {
            String name = route.pools().get(i).pool();
            if (pools.findByName(name).isEmpty()) {
                missing.add(new Violation("pools[" + i + "].pool", "pool '" + name + "' does not exist"));
            }
        }
        if (route.mirror() != null && route.mirror().pool() != null && pools.findByName(route.mirror().pool()).isEmpty()) {
            missing.add(new Violation("mirror.pool", "pool '" + route.mirror().pool() + "' does not exist"));
        }
        Validation.require(missing);
    }

    static void copy(Route route, RouteEntity row) {
        String settings = ConfigRows.routeSettings(route);
        // Only assign on a real change, so an unchanged route keeps its version (and ETag).
        if (!settings.equals(row.settings) || !java.util.Objects.equals(route.pool(), row.poolName)) {
            row.poolName = route.pool();
            row.settings = settings;
        }
    }
}
