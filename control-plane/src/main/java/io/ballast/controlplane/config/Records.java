package io.ballast.controlplane.config;

import io.ballast.model.Pool;
import io.ballast.model.Route;

/** Copies of records with another name; the shared model has no {@code withName} for these. */
final class Records {
    private Records() {
    }

    static Pool withName(Pool p, String name) {
        return new Pool(name, p.description(), p.algorithm(), p.hashOn(), p.stickyCookie(), p.healthCheck(),
                p.outlierDetection(), p.panicThresholdPercent(), p.retries(), p.timeouts(), p.slowStart(),
                p.maxConnectionsPerBackend(), p.maxPendingRequests(), p.tls(), p.labels(), p.backends());
    }

    static Route withName(Route r, String name) {
        return r.withName(name);
    }
}
