package io.ballast.dataplane.health;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The health of one backend address and the threshold state machine that moves it:
 * <ul>
 *   <li>INITIAL becomes HEALTHY on its first passing probe (a new backend should take traffic as soon as it
 *       has shown it can), and UNHEALTHY after {@code unhealthyThreshold} consecutive failures;</li>
 *   <li>HEALTHY becomes UNHEALTHY after {@code unhealthyThreshold} consecutive failures;</li>
 *   <li>UNHEALTHY becomes HEALTHY after {@code healthyThreshold} consecutive passes.</li>
 * </ul>
 * Thread-safe: probes record results under the object's lock (rarely contended: one checker per address),
 * while the proxy reads {@link #state()} from a volatile field on every request. Each transition bumps the
 * shared {@code changes} counter, which tells pools to recompute their candidate lists.
 */
public final class HealthStatus {
    private final AtomicLong changes;
    private final LongSupplier clock;
    private volatile HealthState state;
    private volatile String reason;
    private int consecutivePasses;
    private int consecutiveFailures;

    public HealthStatus(HealthState initial, AtomicLong changes, LongSupplier clock) {
        this.state = initial;
        this.reason = initial.wireName();
        this.changes = changes;
        this.clock = clock;
    }

    public HealthState state() {
        return state;
    }

    /** The reason of the last transition, e.g. {@code unhealthy:ConnectionRefused}. */
    public String reason() {
        return reason;
    }

    /**
     * Records one probe result.
     *
     * @return the transition it caused, or null when the state stays
     */
    public synchronized HealthTransition record(ProbeOutcome outcome, int healthyThreshold, int unhealthyThreshold) {
        if (outcome.passed()) {
            consecutiveFailures = 0;
            consecutivePasses++;
            boolean enough = state == HealthState.INITIAL || consecutivePasses >= healthyThreshold;
            if (state != HealthState.HEALTHY && enough) {
                return moveTo(HealthState.HEALTHY, "healthy");
            }
        } else {
            consecutivePasses = 0;
            consecutiveFailures++;
            if (state != HealthState.UNHEALTHY && consecutiveFailures >= unhealthyThreshold) {
                return moveTo(HealthState.UNHEALTHY, "unhealthy:" + outcome.failure());
            }
        }
        return null;
    }

    /** True while the state may be about to change, so the checker probes at the faster transition interval. */
    public synchronized boolean inTransition() {
        return switch (state) {
            case INITIAL -> true;
            case HEALTHY -> consecutiveFailures > 0;
            case UNHEALTHY -> consecutivePasses > 0;
        };
    }

    private HealthTransition moveTo(HealthState next, String why) {
        HealthTransition t = new HealthTransition(state, next, why, clock.getAsLong());
        state = next;
        reason = why;
        consecutivePasses = 0;
        consecutiveFailures = 0;
        changes.incrementAndGet();
        return t;
    }
}
