package io.ballast.dataplane.upstream;

import io.ballast.dataplane.health.HealthStatus;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The state of one backend address that outlives any one snapshot: its health and its in-flight request
 * count. Requests that started on an old routing table release the same counter as new ones, so counts
 * stay right across a swap. Thread-safe.
 */
public final class LiveBackend {
    private final BackendKey key;
    private final HealthStatus health;
    private final AtomicInteger inFlight = new AtomicInteger();

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
