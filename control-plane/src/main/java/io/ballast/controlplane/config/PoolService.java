package io.ballast.controlplane.config;

import io.ballast.controlplane.persistence.BackendEntity;
import io.ballast.controlplane.persistence.BackendRepository;
import io.ballast.controlplane.persistence.ConfigRows;
import io.ballast.controlplane.persistence.PoolEntity;
import io.ballast.controlplane.persistence.PoolRepository;
import io.ballast.controlplane.persistence.RouteRepository;
import io.ballast.controlplane.revision.Change;
import io.ballast.controlplane.revision.ConfigWriter;
import io.ballast.model.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Pools, with their backends. A pool's version (its ETag) changes whenever its settings or any of
 * its backends change, since its representation contains both. Thread-safe (stateless).
 */
@ApplicationScoped
public class PoolService {
    private final PoolRepository pools;
    private final BackendRepository backends;
    private final RouteRepository routes;
    private final ConfigWriter writer;
    private final Validation validation;
    private final PoolRows rows;

    PoolService(PoolRepository pools, BackendRepository backends, RouteRepository routes, ConfigWriter writer,
                Validation validation, PoolRows rows) {
        this.pools = pools;
        this.backends = backends;
        this.routes = routes;
        this.writer = writer;
        this.validation = validation;
        this.rows = rows;
    }

    /** Pools after {@code after} in name order, at most {@code limit}. */
    @Transactional
    public List<Pool> list(String after, int limit) {
        return pools.page(after, limit).stream().map(rows::toRecord).toList();
    }

    @Transactional
    public Versioned<Pool> get(String name) {
        PoolEntity row = require(name);
        return new Versioned<>(rows.toRecord(row), row.version);
    }

    public Versioned<Pool> create(Change change, Pool pool) {
        validation.requireValidPool(pool);
        return writer.write(change.describedAs("create pool " + pool.name()), () -> {
            if (pools.findByName(pool.name()).isPresent()) {
                throw new ResourceConflictException("pool '" + pool.name() + "' already exists");
            }
            return rows.versioned(rows.insert(pool));
        });
    }

    /**
     * Replaces the pool's settings; its backends only when {@code replaceBackends} (the body named
     * them), otherwise the stored backends are kept.
     */
    public Versioned<Pool> replace(Change change, String name, Pool body, boolean replaceBackends, Precondition precondition) {
        Validation.requireSameName(body.name(), name);
        Pool pool = Records.withName(body, name);
        return writer.write(change.describedAs("update pool " + name), () -> {
            PoolEntity row = require(name);
            precondition.check(row.version, "pool '" + name + "'");
            List<BackendEntity> existing = backends.listByPool(row.id);
            Pool merged = replaceBackends ? pool : pool.withBackends(existing.stream().map(ConfigRows::backend).toList());
            validation.requireValidPool(merged);
            rows.update(row, merged);
            return rows.versioned(row);
        });
    }

    /**
     * Applies {@code patch} (a JSON merge patch, already turned into a function by the caller) to the
     * pool as it is now, inside the write transaction, so no concurrent change can slip in between.
     */
    public Versioned<Pool> patch(Change change, String name, UnaryOperator<Pool> patch, Precondition precondition) {
        return writer.write(change.describedAs("update pool " + name), () -> {
            PoolEntity row = require(name);
            precondition.check(row.version, "pool '" + name + "'");
            Pool patched = patch.apply(rows.toRecord(row));
            Validation.requireSameName(patched.name(), name);
            Pool pool = Records.withName(patched, name);
            validation.requireValidPool(pool);
            rows.update(row, pool);
            return rows.versioned(row);
        });
    }

    public void delete(Change change, String name, Precondition precondition) {
        writer.write(change.describedAs("delete pool " + name), () -> {
            PoolEntity row = require(name);
            precondition.check(row.version, "pool '" + name + "'");
            List<String> users = routes.namesUsingPool(name);
            if (!users.isEmpty()) {
                throw new ResourceConflictException("pool '" + name + "' is used by route(s) " + String.join(", ", users)
                        + "; change or delete them first");
            }
            rows.delete(row);
            return null;
        });
    }

    PoolEntity require(String name) {
        return pools.findByName(name).orElseThrow(() -> new ResourceNotFoundException("pool '" + name + "' does not exist"));
    }
}
