package io.ballast.dataplane.health;

import io.ballast.wire.v1.ProbeAssignment;
import io.ballast.wire.v1.ProbeVerdicts;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Prober sharding on the data-plane side ({@code healthCheck.probers}): which backends this node leaves to other
 * probers while the control plane relays their verdicts, and those verdicts applied to the same {@link HealthStatus}
 * the router reads. Passive checks are untouched: ejections stay this node's own.
 * <p>
 * Traffic decisions never depend on the control plane: a backend is probed here unless it is relayed <em>and</em>
 * either a verdict for it came during this connection, or the assignment is younger than {@link #NO_VERDICT_INTERVALS}
 * probe intervals (the probers' first verdicts are on their way). {@link #lost} (the control-plane connection
 * closed) forgets the assignment, so every backend is probed again from its next tick.
 * Thread-safe: frames arrive on the client's context, {@link #probesHere} is asked from probe loops.
 */
public final class ProbeRelay {
    private static final System.Logger LOG = System.getLogger(ProbeRelay.class.getName());
    /** Probe intervals a relayed backend may go without a first verdict before this node probes it itself. */
    public static final int NO_VERDICT_INTERVALS = 3;

    private final LongSupplier clock;
    private final Supplier<Map<String, HealthStatus>> statuses;
    private final Consumer<HealthTransition> changed;
    private volatile Set<String> relayed = Set.of();
    private volatile long assignedAt;
    /** Relayed backends that have had a verdict since the assignment's connection opened. */
    private final Set<String> verdictSeen = ConcurrentHashMap.newKeySet();

    /**
     * @param statuses the health status of each configured backend by {@code pool/backend}, as the router reads them
     * @param changed  told of each transition a verdict causes (health reports, logs); called on the client's context
     */
    public ProbeRelay(LongSupplier clock, Supplier<Map<String, HealthStatus>> statuses, Consumer<HealthTransition> changed) {
        this.clock = clock;
        this.statuses = statuses;
        this.changed = changed;
    }

    /** The key of a backend in assignments and verdicts. */
    public static String key(String pool, String backend) {
        return pool + "/" + backend;
    }

    /** Replaces the assignment; verdicts seen for backends that stay relayed still count. */
    public synchronized void assign(ProbeAssignment assignment) {
        Set<String> next = new HashSet<>();
        for (ProbeAssignment.BackendRef ref : assignment.relayed()) {
            next.add(key(ref.pool(), ref.backend()));
        }
        verdictSeen.retainAll(next);
        assignedAt = clock.getAsLong();
        relayed = Set.copyOf(next);
        LOG.log(System.Logger.Level.INFO, "probe assignment: {0} backend(s) relayed from other probers among {1} data plane(s)",
                next.size(), assignment.dataPlanes());
    }

    /** Applies the verdicts of backends this node relays; others (a stale or crossing frame) are ignored. */
    public void apply(ProbeVerdicts verdicts) {
        Set<String> now = relayed;
        Map<String, HealthStatus> byKey = null;
        for (ProbeVerdicts.Verdict v : verdicts.verdicts()) {
            String key = key(v.pool(), v.backend());
            if (!now.contains(key)) {
                continue;
            }
            if (byKey == null) {
                byKey = statuses.get();
            }
            HealthStatus status = byKey.get(key);
            if (status == null) {
                continue;
            }
            verdictSeen.add(key);
            HealthTransition t = status.adopt(v.healthy(), v.reason() == null ? (v.healthy() ? "healthy" : "unhealthy") : v.reason());
            if (t != null) {
                LOG.log(System.Logger.Level.INFO, "health of backend {0} changed from {1} to {2} reason={3} (relayed verdict)",
                        key, t.from().wireName(), t.to().wireName(), t.reason());
                changed.accept(t);
            }
        }
    }

    /** The control plane is gone: probe everything here again. */
    public synchronized void lost() {
        if (!relayed.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "control plane lost: probing all {0} relayed backend(s) here again", relayed.size());
        }
        relayed = Set.of();
        verdictSeen.clear();
    }

    /** Whether this node runs the active check of {@code target} now. */
    public boolean probesHere(HealthTarget target) {
        String key = key(target.pool(), target.backend());
        if (!relayed.contains(key)) {
            return true;
        }
        if (verdictSeen.contains(key)) {
            return false;
        }
        return clock.getAsLong() - assignedAt >= NO_VERDICT_INTERVALS * target.check().interval().toMillis();
    }

    /** How many backends are relayed now (for {@code /status} and tests). */
    public int relayedCount() {
        return relayed.size();
    }
}
