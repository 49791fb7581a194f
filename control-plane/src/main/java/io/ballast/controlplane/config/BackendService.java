package io.ballast.controlplane.config;

import io.ballast.controlplane.persistence.BackendEntity;
import io.ballast.controlplane.persistence.BackendRepository;
import io.ballast.controlplane.persistence.ConfigRows;
import io.ballast.controlplane.persistence.PoolEntity;
import io.ballast.controlplane.revision.Change;
import io.ballast.controlplane.revision.ConfigWriter;
import io.ballast.model.AdminState;
import io.ballast.model.Backend;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Backends of one pool. Names are unique in their pool; so are addresses. Every change also gives
 * the owning pool a new version. Thread-safe (stateless).
 */
@ApplicationScoped
public class BackendService {
    private final PoolService pools;
    private final PoolRows poolRows;
    private final BackendRepository backends;
    private final ConfigWriter writer;
    private final Validation validation;

    BackendService(PoolService pools, PoolRows poolRows, BackendRepository backends, ConfigWriter writer, Validation validation) {
        this.pools = pools;
        this.poolRows = poolRows;
        this.backends = backends;
        this.writer = writer;
        this.validation = validation;
    }

    /** Backends of {@code pool} after {@code after} in name order, at most {@code limit}. */
    @Transactional
    public List<Backend> list(String pool, String after, int limit) {
        return backends.pageByPool(pools.require(pool).id, after, limit).stream().map(ConfigRows::backend).toList();
    }

    @Transactional
    public Versioned<Backend> get(String pool, String name) {
        BackendEntity row = require(pools.require(pool), name);
        return new Versioned<>(ConfigRows.backend(row), row.version);
    }

    public Versioned<Backend> create(Change change, String pool, Backend backend) {
        validation.requireValid(backend);
        return writer.write(change.describedAs("create backend " + pool + "/" + backend.name()), () -> {
            PoolEntity owner = pools.require(pool);
            requireUnique(backends.listByPool(owner.id), backend, null);
            BackendEntity row = new BackendEntity();
            row.poolId = owner.id;
            ConfigRows.copy(backend, row);
            backends.persist(row);
            poolRows.touch(owner);
            return versioned(row);
        });
    }

    public Versioned<Backend> replace(Change change, String pool, String name, Backend body, Precondition precondition) {
        Backend backend = body.name() == null || body.name().equals(name) || isDefaultName(body) ? body.withName(name) : body;
        Validation.requireSameName(backend.name(), name);
        validation.requireValid(backend);
        return writer.write(change.describedAs("update backend " + pool + "/" + name), () -> {
            PoolEntity owner = pools.require(pool);
            BackendEntity row = require(owner, name);
            precondition.check(row.version, "backend '" + pool + "/" + name + "'");
            return store(owner, row, backend);
        });
    }

    /** Applies a merge patch (as a function) to the backend as it is now, inside the write transaction. */
    public Versioned<Backend> patch(Change change, String pool, String name, UnaryOperator<Backend> patch, Precondition precondition) {
        return writer.write(change.describedAs("update backend " + pool + "/" + name), () -> {
            PoolEntity owner = pools.require(pool);
            BackendEntity row = require(owner, name);
            precondition.check(row.version, "backend '" + pool + "/" + name + "'");
            Backend patched = patch.apply(ConfigRows.backend(row));
            Backend backend = patched.name() == null || isDefaultName(patched) ? patched.withName(name) : patched;
            Validation.requireSameName(backend.name(), name);
            validation.requireValid(backend);
            return store(owner, row, backend);
        });
    }

    public void delete(Change change, String pool, String name, Precondition precondition) {
        writer.write(change.describedAs("delete backend " + pool + "/" + name), () -> {
            PoolEntity owner = pools.require(pool);
            BackendEntity row = require(owner, name);
            precondition.check(row.version, "backend '" + pool + "/" + name + "'");
            backends.delete(row);
            poolRows.touch(owner);
            return null;
        });
    }

    /** Drain, enable or disable: the operator's switch, which leaves every other field alone. */
    public Versioned<Backend> setAdminState(Change change, String pool, String name, AdminState state, Precondition precondition) {
        return writer.write(change.describedAs(verbFor(state) + " backend " + pool + "/" + name), () -> {
            PoolEntity owner = pools.require(pool);
            BackendEntity row = require(owner, name);
            precondition.check(row.version, "backend '" + pool + "/" + name + "'");
            return store(owner, row, ConfigRows.backend(row).withAdminState(state));
        });
    }

    private Versioned<Backend> store(PoolEntity owner, BackendEntity row, Backend backend) {
        if (!ConfigRows.backend(row).equals(backend)) {
            requireUnique(backends.listByPool(owner.id), backend, row.id);
            ConfigRows.copy(backend, row);
            poolRows.touch(owner);
        }
        return versioned(row);
    }

    private Versioned<Backend> versioned(BackendEntity row) {
        backends.flush();
        return new Versioned<>(ConfigRows.backend(row), row.version);
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
