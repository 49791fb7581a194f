package io.ballast.controlplane.config;

import io.ballast.model.Pool;
import io.ballast.model.Route;

/** Copies of records with another name; the shared model has no {@code withName} for these. */
final class Records {
    private Records() {
    }

    static Pool withName(Pool p, String name) {
        return p.toBuilder().name(name).build();
    }

    static Route withName(Route r, String name) {
        return r.withName(name);
    }
}
