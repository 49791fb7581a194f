package io.ballast.controlplane.config;

import io.ballast.model.Backend;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.snapshot.SnapshotValidator;
import io.ballast.model.validation.InvalidConfigException;
import io.ballast.model.validation.ModelValidator;
import io.ballast.model.validation.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Request-level checks with field paths relative to the request body ({@code backends[1].port},
 * not {@code pools[4].backends[1].port}). The snapshot check at revision time stays as the safety net.
 */
@ApplicationScoped
class Validation {
    private static final String ONLY_POOL = "pools[0].";

    private final ModelValidator model;
    private final SnapshotValidator snapshot;

    Validation(ModelValidator model, SnapshotValidator snapshot) {
        this.model = model;
        this.snapshot = snapshot;
    }

    /** The pool's own fields and backends, plus what only a snapshot checks (unique backend names and addresses). */
    void requireValidPool(Pool pool) {
        List<Violation> out = new ArrayList<>();
        for (Violation v : snapshot.validate(new ConfigSnapshot(List.of(pool), List.of()))) {
            String field = v.field().startsWith(ONLY_POOL) ? v.field().substring(ONLY_POOL.length()) : v.field();
            // This one-pool snapshot has no certificates: whether tls names existing ones is checked against the
            // whole config when the revision is recorded (still a 422 naming the field).
            if (field.equals("tls.caCertificate") || field.equals("tls.clientCertificate")) {
                continue;
            }
            out.add(new Violation(field, v.message()));
        }
        require(out);
    }

    void requireValid(Backend backend) {
        require(model.backend(backend, ""));
    }

    void requireValid(Route route) {
        require(model.route(route, ""));
    }

    /** A whole declarative file or snapshot, with paths such as {@code pools[2].backends[0].port}. */
    void requireValid(ConfigSnapshot config) {
        require(snapshot.validate(config));
    }

    static void require(List<Violation> violations) {
        if (!violations.isEmpty()) {
            throw new InvalidConfigException(violations);
        }
    }

    /** A body's name must be absent (then the path names it) or equal to the path's. */
    static void requireSameName(String bodyName, String pathName) {
        if (bodyName != null && !bodyName.equals(pathName)) {
            require(List.of(new Violation("name", "must match the name in the path ('" + pathName
                    + "'); renaming is not supported, create a new resource instead")));
        }
    }
}
