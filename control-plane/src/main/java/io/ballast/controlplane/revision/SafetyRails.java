package io.ballast.controlplane.revision;

import io.ballast.model.AdminState;
import io.ballast.model.Backend;
import io.ballast.model.Pool;
import io.ballast.model.snapshot.ConfigSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses changes that are valid but almost always a mistake in production. Today one rail: a pool
 * that has an enabled backend must not lose its last one (drain, disable, weight 0, delete) in one
 * careless call. A pool that is deleted, or that had no enabled backend before, is not concerned.
 * Stateless and thread-safe.
 */
public final class SafetyRails {
    private SafetyRails() {
    }

    /** Throws {@link UnsafeChangeException} unless {@code force} or the change is safe. */
    public static void check(ConfigSnapshot before, ConfigSnapshot after, boolean force) {
        if (force) {
            return;
        }
        List<String> emptied = new ArrayList<>();
        for (Pool now : after.pools()) {
            Pool was = before.pool(now.name());
            if (was != null && enabled(was) > 0 && enabled(now) == 0) {
                emptied.add(now.name());
            }
        }
        if (!emptied.isEmpty()) {
            throw new UnsafeChangeException(emptied.stream().sorted().toList());
        }
    }

    /** Backends that can take new traffic: enabled and with a weight above 0. */
    static long enabled(Pool pool) {
        return pool.backends().stream().filter(SafetyRails::takesTraffic).count();
    }

    private static boolean takesTraffic(Backend b) {
        return b.adminState() == AdminState.ENABLED && b.weight() > 0;
    }
}
