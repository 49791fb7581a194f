package io.ballast.dataplane.health;

import java.util.concurrent.atomic.AtomicInteger;
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
 * Passive checks add an ejection on top of the active state: an ejected backend takes no traffic until
 * {@link #ejectedUntil()} passes, or earlier when the active check sees it go down and come back up
 * (it was repaired, so waiting out the rest of the ejection helps no one).
 * <p>
 * Thread-safe: probes record results under the object's lock (rarely contended: one checker per address),
 * while the proxy reads {@link #state()} from a volatile field on every request. Each transition and each
 * ejection bumps the shared {@code changes} counter, which tells pools to recompute their candidate lists.
 */
public final class HealthStatus {
    private final AtomicLong changes;
    private final LongSupplier clock;
    private volatile HealthState state;
    private volatile String reason;
    private int consecutivePasses;
    private int consecutiveFailures;
    private volatile long lastChangeAt;
    /** The latest probe and when it finished (epoch millis); null before the first. Reported with heartbeats. */
    private volatile LastProbe lastProbe;
    private volatile long servingSince;
    private volatile long ejectedUntil;
    private volatile String ejectionReason;
    private int ejections;
    private final AtomicInteger consecutive5xx = new AtomicInteger();
    private final AtomicInteger consecutiveGatewayFailures = new AtomicInteger();

    public HealthStatus(HealthState initial, AtomicLong changes, LongSupplier clock) {
        this.state = initial;
        this.reason = initial.wireName();
        this.changes = changes;
        this.clock = clock;
        this.lastChangeAt = clock.getAsLong();
        this.servingSince = lastChangeAt;
    }

    /** The latest probe's outcome and time, or null when none finished yet. */
    public LastProbe lastProbe() {
        return lastProbe;
    }

    /** One finished probe: when (epoch millis) and what it found. */
    public record LastProbe(long at, ProbeOutcome outcome) {
    }

    /** Epoch millis of the last transition or ejection change (or of creation). */
    public long lastChangeAt() {
        return lastChangeAt;
    }

    /**
     * Epoch millis since when the backend may take traffic (it became healthy or its ejection ended): the
     * start of its slow-start ramp.
     */
    public long servingSince() {
        return servingSince;
    }

    /** Epoch millis when the current ejection ends; 0 or a past time when not ejected. */
    public long ejectedUntil() {
        return ejectedUntil;
    }

    public boolean ejected(long now) {
        return ejectedUntil > now;
    }

    /** {@code ejected:Consecutive5xx} or {@code ejected:GatewayFailure} of the last ejection; null before one. */
    public String ejectionReason() {
        return ejectionReason;
    }

    /** Number of ejections so far; each one lasts longer (base time × this count). */
    public synchronized int ejections() {
        return ejections;
    }

    /**
     * Takes the backend out of rotation for {@code baseMillis × (ejections + 1)}.
     *
     * @param why {@code Consecutive5xx} or {@code GatewayFailure}
     */
    public synchronized void eject(String why, long baseMillis) {
        long now = clock.getAsLong();
        if (ejected(now)) {
            return;
        }
        ejections++;
        ejectedUntil = now + baseMillis * ejections;
        ejectionReason = "ejected:" + why;
        lastChangeAt = now;
        changes.incrementAndGet();
    }

    /** The ejection ended (its time passed or the backend recovered): starts the slow-start ramp again. */
    private void endEjection(long now) {
        ejectedUntil = 0;
        servingSince = now;
        lastChangeAt = now;
        changes.incrementAndGet();
    }

    /**
     * Counts one answer of live traffic for outlier detection.
     *
     * @return the number of 5xx answers in a row, this one included (0 after any other status)
     */
    public int countResponse(int status) {
        consecutiveGatewayFailures.set(0);
        if (status >= 500) {
            return consecutive5xx.incrementAndGet();
        }
        consecutive5xx.set(0);
        return 0;
    }

    /**
     * Counts one gateway failure of live traffic (refused, reset, or timed out before an answer).
     *
     * @return the number of gateway failures in a row, this one included
     */
    public int countGatewayFailure() {
        return consecutiveGatewayFailures.incrementAndGet();
    }

    /** Forgets the passive counts (after an ejection, so the next one needs a fresh run of failures). */
    public void resetPassiveCounts() {
        consecutive5xx.set(0);
        consecutiveGatewayFailures.set(0);
    }

    /** Ends an ejection whose time has passed; called by pools when they notice it. */
    public synchronized void expireEjection() {
        long now = clock.getAsLong();
        if (ejectedUntil != 0 && ejectedUntil <= now) {
            endEjection(now);
        }
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
        lastProbe = new LastProbe(clock.getAsLong(), outcome);
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

    /**
     * Takes another data plane's verdict (prober sharding: this node does not probe the backend itself). The
     * threshold counts start over, so a fallback to local probing needs a full run of its own to change the state.
     *
     * @return the transition it caused, or null when the state stays
     */
    public synchronized HealthTransition adopt(boolean healthy, String why) {
        consecutivePasses = 0;
        consecutiveFailures = 0;
        HealthState next = healthy ? HealthState.HEALTHY : HealthState.UNHEALTHY;
        return state == next ? null : moveTo(next, why);
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
        long now = clock.getAsLong();
        HealthTransition t = new HealthTransition(state, next, why, now);
        if (next == HealthState.HEALTHY) {
            servingSince = now;
            if (state == HealthState.UNHEALTHY && ejected(now)) {
                // The active check saw it fail and recover: back early.
                endEjection(now);
            }
        }
        lastChangeAt = now;
        state = next;
        reason = why;
        consecutivePasses = 0;
        consecutiveFailures = 0;
        changes.incrementAndGet();
        return t;
    }
}
