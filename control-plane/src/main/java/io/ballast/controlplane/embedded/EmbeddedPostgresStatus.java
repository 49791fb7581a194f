package io.ballast.controlplane.embedded;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the supervisor has seen, for the metrics: the supervisor runs before Quarkus (and CDI) exists, so the two
 * meet here. Thread-safe.
 */
public final class EmbeddedPostgresStatus {
    private static volatile boolean enabled;
    private static volatile boolean up;
    private static final AtomicLong RESTARTS = new AtomicLong();
    private static final AtomicLong DEATHS = new AtomicLong();

    private EmbeddedPostgresStatus() {
    }

    /** Whether this process runs an embedded PostgreSQL at all. */
    public static boolean enabled() {
        return enabled;
    }

    /** 1 while the postmaster runs, 0 between its death and a successful restart. */
    public static boolean up() {
        return up;
    }

    /** Successful restarts after an unexpected death. */
    public static long restarts() {
        return RESTARTS.get();
    }

    /** Unexpected deaths of the postmaster. */
    public static long deaths() {
        return DEATHS.get();
    }

    static void started() {
        enabled = true;
        up = true;
    }

    static void died() {
        up = false;
        DEATHS.incrementAndGet();
    }

    static void restarted() {
        up = true;
        RESTARTS.incrementAndGet();
    }

    static void stopped() {
        up = false;
    }
}
