package io.ballast.controlplane.config;

import io.ballast.controlplane.persistence.BackendEntity;
import io.ballast.controlplane.persistence.BackendRepository;
import io.ballast.controlplane.persistence.ConfigRows;
import io.ballast.controlplane.persistence.PoolEntity;
import io.ballast.controlplane.persistence.PoolRepository;
import io.ballast.model.Backend;
import io.ballast.model.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a pool record to its rows (the pool and its backends), used by the pool endpoints and by
 * the declarative apply alike. Must run inside the writer's transaction. Stateless and thread-safe.
 */
@ApplicationScoped
class PoolRows {
    private final PoolRepository pools;
    private final BackendRepository backends;

    PoolRows(PoolRepository pools, BackendRepository backends) {
        this.pools = pools;
        this.backends = backends;
    }

    PoolEntity insert(Pool pool) {
        PoolEntity row = new PoolEntity();
        row.name = pool.name();
        row.settings = ConfigRows.poolSettings(pool);
        pools.persist(row);
        pool.backends().forEach(b -> insertBackend(row.id, b));
        return row;
    }

    /** Makes the rows say exactly {@code pool}: settings and backends (matched by name). */
    void update(PoolEntity row, Pool pool) {
        String settings = ConfigRows.poolSettings(pool);
        boolean changed = !settings.equals(row.settings);
        row.settings = settings;
        List<BackendEntity> existing = backends.listByPool(row.id);
        Map<String, BackendEntity> byName = new HashMap<>();
        existing.forEach(b -> byName.put(b.name, b));
        for (BackendEntity b : existing) {
            if (pool.backends().stream().noneMatch(w -> w.name().equals(b.name))) {
                backends.delete(b);
                changed = true;
            }
        }
        // Deletes first: Hibernate would otherwise insert before it deletes.
        backends.flush();
        for (Backend b : pool.backends()) {
            BackendEntity current = byName.get(b.name());
            if (current == null) {
                insertBackend(row.id, b);
                changed = true;
            } else if (!ConfigRows.backend(current).equals(b)) {
                ConfigRows.copy(b, current);
                changed = true;
            }
        }
        if (changed) {
            touch(row);
        }
    }

    void delete(PoolEntity row) {
        backends.delete("poolId", row.id);
        pools.delete(row);
    }

    /**
     * Gives the pool a new version although its own row did not change: its representation (and so
     * its ETag) includes its backends.
     */
    void touch(PoolEntity row) {
        row.updatedAt = Instant.now();
    }

    Pool toRecord(PoolEntity row) {
        return ConfigRows.pool(row, backends.listByPool(row.id));
    }

    /** Flushes first, so the version is the one the commit will store. */
    Versioned<Pool> versioned(PoolEntity row) {
        pools.flush();
        return new Versioned<>(toRecord(row), row.version);
    }

    private void insertBackend(long poolId, Backend b) {
        BackendEntity row = new BackendEntity();
        row.poolId = poolId;
        ConfigRows.copy(b, row);
        backends.persist(row);
    }
}
