package io.ballast.dataplane.upstream;

import io.ballast.dataplane.health.HealthStatus;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The state of one backend address that outlives any one snapshot: its health, its in-flight request
 * count and its traffic numbers. Requests that started on an old routing table release the same counter as new ones, so counts
 * stay right across a swap. Thread-safe.
 */
public final class LiveBackend {
    private final BackendKey key;
    private final HealthStatus health;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final BackendStats stats = new BackendStats();
    /** What {@link HealthReporter} last reported; only its serialized scans touch it. */
    HealthReporter.Reported lastReported;

    LiveBackend(BackendKey key, HealthStatus health) {
        this.key = key;
        this.health = health;
    }

    public BackendKey key() {
        return key;
    }

    public HealthStatus health() {
        return health;
    }

    public BackendStats stats() {
        return stats;
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** A request was sent to this backend; pair with exactly one {@link #release()}. */
    public void acquire() {
        inFlight.incrementAndGet();
    }

    public void release() {
        inFlight.decrementAndGet();
    }
}
