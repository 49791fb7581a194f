package io.ballast.controlplane.rollout;

import io.ballast.controlplane.fleet.ControlPlaneInstance;
import io.ballast.controlplane.fleet.DataPlaneStatus;
import io.ballast.controlplane.fleet.FleetRegistry;
import io.ballast.controlplane.fleet.NodePropagation;
import io.ballast.controlplane.fleet.PropagationStatus;
import io.ballast.controlplane.push.SnapshotFanOut;
import io.ballast.controlplane.revision.ConfigWriter;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs on every control-plane instance, once per {@code ballast.rollouts.tick} (1 s):
 * <ul>
 * <li>notices when the baking rollout changed (started, promoted or aborted through any instance) and
 *     has this instance's data planes re-sent their target revisions: a promotion records no revision,
 *     so no revision notification would tell them;</li>
 * <li>judges the baking rollout, if this instance holds its lease or the lease ran out (its holder died
 *     or lost the database): renews it for {@code ballast.rollouts.lease} (5 s), reads the gates and
 *     promotes, aborts or keeps baking. The lease is a column of the rollout's row, taken under the
 *     row's lock, so exactly one instance judges at a time and another takes over within a lease.</li>
 * </ul>
 * The timer fires on the event loop and hands the JDBC work to a worker thread; a tick still running
 * makes the next one skip.
 */
@ApplicationScoped
public class RolloutSupervisor {
    private static final Logger LOG = Logger.getLogger(RolloutSupervisor.class);

    private final Vertx vertx;
    private final RolloutRepository rollouts;
    private final Rollouts actions;
    private final RolloutSamples samples;
    private final FleetRegistry fleet;
    private final ConfigWriter writer;
    private final SnapshotFanOut fanOut;
    private final ControlPlaneInstance instance;
    private final Duration tick;
    private final Duration lease;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Optional<Long> lastSeen = Optional.empty();
    private long timerId = -1;

    RolloutSupervisor(Vertx vertx, RolloutRepository rollouts, Rollouts actions, RolloutSamples samples, FleetRegistry fleet,
                      ConfigWriter writer, SnapshotFanOut fanOut, ControlPlaneInstance instance,
                      @ConfigProperty(name = "ballast.rollouts.tick", defaultValue = "1s") Duration tick,
                      @ConfigProperty(name = "ballast.rollouts.lease", defaultValue = "5s") Duration lease) {
        this.vertx = vertx;
        this.rollouts = rollouts;
        this.actions = actions;
        this.samples = samples;
        this.fleet = fleet;
        this.writer = writer;
        this.fanOut = fanOut;
        this.instance = instance;
        this.tick = tick;
        this.lease = lease;
    }

    void onStart(@Observes StartupEvent event) {
        timerId = vertx.setPeriodic(tick.toMillis(), id -> {
            if (running.compareAndSet(false, true)) {
                vertx.executeBlocking(() -> {
                    try {
                        tick();
                    } finally {
                        running.set(false);
                    }
                    return null;
                }, false);
            }
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** One round; public for tests that want a decision now rather than within a tick. */
    public void tick() {
        try {
            Optional<Long> baking = QuarkusTransaction.requiringNew().call(() -> rollouts.baking().map(r -> r.id));
            if (!Objects.equals(baking, lastSeen)) {
                lastSeen = baking;
                fanOut.retarget();
            }
            if (baking.isPresent() && judge(baking.get())) {
                lastSeen = Optional.empty();
                fanOut.retarget();
            }
        } catch (RuntimeException e) {
            // The database may be away; the next tick tries again, and the lease lets another instance act meanwhile.
            LOG.debugf("Rollout tick skipped: %s", e.getMessage());
        }
    }

    /** @return true when the rollout ended in this round */
    private boolean judge(long id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            writer.lock();
            RolloutEntity row = rollouts.findForUpdate(id).orElse(null);
            if (row == null || !RolloutStates.BAKING.equals(row.state)) {
                return false;
            }
            Instant now = Instant.now();
            if (row.owner != null && !row.owner.equals(instance.id()) && row.leaseUntil != null && row.leaseUntil.isAfter(now)) {
                return false;
            }
            if (row.owner != null && !row.owner.equals(instance.id())) {
                LOG.infof("Rollout %d: taking over from control plane %s, whose lease ran out at %s", id, row.owner, row.leaseUntil);
            }
            row.owner = instance.id();
            row.leaseUntil = now.plus(lease);
            GateJudge.Verdict verdict = GateJudge.judge(settings(row), samples.traffic(id), refusals(row), fleet(row), now);
            row.readings = actions.json(verdict.readings());
            switch (verdict.decision()) {
                case ABORT -> actions.endAborted(row, Rollouts.GATES, verdict.reason());
                case PROMOTE -> actions.endPromoted(row, Rollouts.GATES, null);
                default -> {
                    return false;
                }
            }
            return true;
        });
    }

    private static GateJudge.Settings settings(RolloutEntity row) {
        return new GateJudge.Settings(row.revision, row.abortOnNack, row.errorRateIncrease, row.p99Increase, row.autoPromote, row.bakeEndsAt);
    }

    private List<GateJudge.Refusal> refusals(RolloutEntity row) {
        return fleet.propagation(row.revision).stream()
                .filter(p -> p.status() == PropagationStatus.NACKED)
                .map(p -> new GateJudge.Refusal(p.nodeId(), errors(p)))
                .toList();
    }

    private static String errors(NodePropagation p) {
        return p.errors().isEmpty() ? "(no reason given)"
                : p.errors().stream().map(v -> v.field() + ": " + v.message()).collect(Collectors.joining("; "));
    }

    private GateJudge.Fleet fleet(RolloutEntity row) {
        CohortSelector cohort = CohortSelector.parse(row.cohort).orElseThrow();
        List<DataPlaneStatus> members = fleet.list().stream()
                .filter(DataPlaneStatus::connected)
                .filter(n -> cohort.matches(n.nodeId(), n.labels()))
                .toList();
        return new GateJudge.Fleet(members.stream().map(DataPlaneStatus::nodeId).toList(),
                members.stream().filter(n -> n.appliedRevision() != null && n.appliedRevision() >= row.revision)
                        .map(DataPlaneStatus::nodeId).toList());
    }
}
