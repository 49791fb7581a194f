package io.ballast.controlplane.config;

import io.ballast.controlplane.persistence.BackendEntity;
import io.ballast.controlplane.persistence.BackendRepository;
import io.ballast.controlplane.persistence.ConfigRows;
import io.ballast.controlplane.persistence.PoolEntity;
import io.ballast.controlplane.persistence.PoolRepository;
import io.ballast.controlplane.persistence.RouteRepository;
import io.ballast.controlplane.revision.ConfigWriter;
import io.ballast.model.Backend;
import io.ballast.model.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pools, with their backends. Thread-safe (stateless). */
@ApplicationScoped
public class PoolService {
    private final PoolRepository pools;
    private final BackendRepository backends;
    private final RouteRepository routes;
    private final ConfigWriter writer;

    PoolService(PoolRepository pools, BackendRepository backends, RouteRepository routes, ConfigWriter writer) {
        this.pools = pools;
        this.backends = backends;
        this.routes = routes;
        this.writer = writer;
    }

    /** Pools after {@code after} in name order, at most {@code limit}. */
    @Transactional
    public List<Pool> list(String after, int limit) {
        return pools.page(after, limit).stream().map(this::toRecord).toList();
    }

    @Transactional
    public Pool get(String name) {
        return toRecord(require(name));
    }

    public Pool create(String author, Pool pool) {
        Validation.requireValidPool(pool);
        return writer.write(author, "create pool " + pool.name(), () -> {
            if (pools.findByName(pool.name()).isPresent()) {
                throw new ResourceConflictException("pool '" + pool.name() + "' already exists");
            }
            PoolEntity row = new PoolEntity();
            row.name = pool.name();
            row.settings = ConfigRows.poolSettings(pool);
            pools.persist(row);
            for (Backend b : pool.backends()) {
                insertBackend(row.id, b);
            }
            return toRecord(row);
        });
    }

    /**
     * Replaces the pool's settings; its backends only when {@code replaceBackends} (the body named
     * them), otherwise the stored backends are kept.
     */
    public Pool replace(String author, String name, Pool body, boolean replaceBackends) {
        Validation.requireSameName(body.name(), name);
        Pool pool = Records.withName(body, name);
        return writer.write(author, "update pool " + name, () -> {
            PoolEntity row = require(name);
            List<BackendEntity> existing = backends.listByPool(row.id);
            Pool merged = replaceBackends ? pool : pool.withBackends(existing.stream().map(ConfigRows::backend).toList());
            Validation.requireValidPool(merged);
            row.settings = ConfigRows.poolSettings(merged);
            if (replaceBackends) {
                replaceBackends(row.id, existing, merged.backends());
            }
            return toRecord(row);
        });
    }

    public void delete(String author, String name) {
        writer.write(author, "delete pool " + name, () -> {
            PoolEntity row = require(name);
            List<String> users = routes.namesUsingPool(name);
            if (!users.isEmpty()) {
                throw new ResourceConflictException("pool '" + name + "' is used by route(s) " + String.join(", ", users)
                        + "; change or delete them first");
            }
            backends.delete("poolId", row.id);
            pools.delete(row);
            return null;
        });
    }

    PoolEntity require(String name) {
        return pools.findByName(name).orElseThrow(() -> new ResourceNotFoundException("pool '" + name + "' does not exist"));
    }

    private Pool toRecord(PoolEntity row) {
        return ConfigRows.pool(row, backends.listByPool(row.id));
    }

    private void replaceBackends(long poolId, List<BackendEntity> existing, List<Backend> wanted) {
        Map<String, BackendEntity> byName = new HashMap<>();
        existing.forEach(b -> byName.put(b.name, b));
        Set<String> kept = new HashSet<>();
        for (Backend b : wanted) {
            BackendEntity row = byName.get(b.name());
            if (row == null) {
                insertBackend(poolId, b);
            } else {
                ConfigRows.copy(b, row);
                kept.add(b.name());
            }
        }
        existing.stream().filter(b -> !kept.contains(b.name)).forEach(backends::delete);
    }

    private void insertBackend(long poolId, Backend b) {
        BackendEntity row = new BackendEntity();
        row.poolId = poolId;
        ConfigRows.copy(b, row);
        backends.persist(row);
    }
}
