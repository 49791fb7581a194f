package io.ballast.dataplane.health;

import io.ballast.model.OutlierDetection;
import java.util.Collection;
import java.util.function.LongSupplier;

/**
 * Passive health checking (Envoy's outlier detection): live answers and failures of a pool's backends are
 * counted, and a backend that fails {@code consecutive5xx} or {@code consecutiveGatewayFailures} times in a
 * row is ejected for {@code baseEjectionTime × number of ejections}, unless that would eject
 * {@code maxEjectionPercent} or more of the pool. One instance per pool of a routing table. Thread-safe:
 * the counts live in the {@link HealthStatus} objects (atomics), and the percentage check races only
 * benignly (two backends ejected in the same instant may overshoot by one).
 */
public final class OutlierDetector {
    private final OutlierDetection config;
    private final Collection<HealthStatus> pool;
    private final LongSupplier clock;

    /**
     * @param pool  the statuses of every backend of the pool (for the ejection percentage)
     * @param clock epoch millis
     */
    public OutlierDetector(OutlierDetection config, Collection<HealthStatus> pool, LongSupplier clock) {
        this.config = config;
        this.pool = pool;
        this.clock = clock;
    }

    /** A backend answered {@code status}. */
    public void onResponse(HealthStatus backend, int status) {
        int run = backend.countResponse(status);
        if (config.consecutive5xx() > 0 && run >= config.consecutive5xx()) {
            maybeEject(backend, "Consecutive5xx");
        }
    }

    /** A backend refused, reset, or timed out before answering. */
    public void onGatewayFailure(HealthStatus backend) {
        int run = backend.countGatewayFailure();
        if (config.consecutiveGatewayFailures() > 0 && run >= config.consecutiveGatewayFailures()) {
            maybeEject(backend, "GatewayFailure");
        }
    }

    private void maybeEject(HealthStatus backend, String why) {
        long now = clock.getAsLong();
        if (backend.ejected(now)) {
            return;
        }
        long ejectedNow = pool.stream().filter(s -> s.ejected(now)).count();
        // As Envoy: eject while the ejected share is below the limit, so a pool of one can still eject.
        if (ejectedNow * 100 >= (long) config.maxEjectionPercent() * pool.size()) {
            return;
        }
        backend.resetPassiveCounts();
        backend.eject(why, config.baseEjectionTime().toMillis());
    }
}
