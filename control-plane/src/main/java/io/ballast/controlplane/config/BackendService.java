package io.ballast.controlplane.config;

import io.ballast.controlplane.persistence.BackendEntity;
import io.ballast.controlplane.persistence.BackendRepository;
import io.ballast.controlplane.persistence.ConfigRows;
import io.ballast.controlplane.persistence.PoolEntity;
import io.ballast.controlplane.revision.ConfigWriter;
import io.ballast.model.AdminState;
import io.ballast.model.Backend;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/** Backends of one pool. Names are unique in their pool; so are addresses. Thread-safe (stateless). */
@ApplicationScoped
public class BackendService {
    private final PoolService pools;
    private final BackendRepository backends;
    private final ConfigWriter writer;

    BackendService(PoolService pools, BackendRepository backends, ConfigWriter writer) {
        this.pools = pools;
        this.backends = backends;
        this.writer = writer;
    }

    @Transactional
    public List<Backend> list(String pool) {
        return backends.listByPool(pools.require(pool).id).stream().map(ConfigRows::backend).toList();
    }

    @Transactional
    public Backend get(String pool, String name) {
        return ConfigRows.backend(require(pools.require(pool), name));
    }

    public Backend create(String author, String pool, Backend backend) {
        Validation.requireValid(backend);
        return writer.write(author, "create backend " + pool + "/" + backend.name(), () -> {
            PoolEntity owner = pools.require(pool);
            List<BackendEntity> siblings = backends.listByPool(owner.id);
            requireUnique(siblings, backend, null);
            BackendEntity row = new BackendEntity();
            row.poolId = owner.id;
            ConfigRows.copy(backend, row);
            backends.persist(row);
            return ConfigRows.backend(row);
        });
    }

    public Backend replace(String author, String pool, String name, Backend body) {
        Backend backend = body.name() == null || body.name().equals(name) || isDefaultName(body) ? body.withName(name) : body;
        Validation.requireSameName(backend.name(), name);
        Validation.requireValid(backend);
        return writer.write(author, "update backend " + pool + "/" + name, () -> {
            PoolEntity owner = pools.require(pool);
            BackendEntity row = require(owner, name);
            requireUnique(backends.listByPool(owner.id), backend, row.id);
            ConfigRows.copy(backend, row);
            return ConfigRows.backend(row);
        });
    }

    public void delete(String author, String pool, String name) {
        writer.write(author, "delete backend " + pool + "/" + name, () -> {
            backends.delete(require(pools.require(pool), name));
            return null;
        });
    }

    /** Drain, enable or disable: the operator's switch, which leaves every other field alone. */
    public Backend setAdminState(String author, String pool, String name, AdminState state) {
        return writer.write(author, verbFor(state) + " backend " + pool + "/" + name, () -> {
            BackendEntity row = require(pools.require(pool), name);
            row.adminState = state.wireName();
            return ConfigRows.backend(row);
        });
    }

    private static String verbFor(AdminState state) {
        return switch (state) {
            case ENABLED -> "enable";
            case DRAINING -> "drain";
            case DISABLED -> "disable";
        };
    }

    private BackendEntity require(PoolEntity owner, String name) {
        return backends.findInPool(owner.id, name).orElseThrow(() ->
                new ResourceNotFoundException("backend '" + name + "' does not exist in pool '" + owner.name + "'"));
    }

    private static void requireUnique(List<BackendEntity> siblings, Backend backend, Long self) {
        for (BackendEntity other : siblings) {
            if (other.id.equals(self)) {
                continue;
            }
            if (other.name.equals(backend.name())) {
                throw new ResourceConflictException("backend '" + backend.name() + "' already exists in this pool");
            }
            if (other.host.equalsIgnoreCase(backend.host()) && other.port == backend.port()) {
                throw new ResourceConflictException("address " + backend.address() + " is already used by backend '"
                        + other.name + "' in this pool");
            }
        }
    }

    /** The record fills an absent name with host:port; a PUT body without a name means "the path's name". */
    private static boolean isDefaultName(Backend b) {
        return b.host() != null && b.port() != null && b.name().equals(new Backend(null, b.host(), b.port(), null, null, null).name());
    }
}
