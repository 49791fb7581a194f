package io.ballast.dataplane.health;

import io.vertx.core.Vertx;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;

/**
 * Runs one probe loop per backend address. {@link #reconcile} is given the complete set of targets of
 * each new snapshot: loops for addresses that stay keep running (and keep their state, which lives in the
 * target's {@link HealthStatus}), new addresses get a loop, gone ones are stopped. Transitions go to the
 * listener (logging, health reports); pools learn about them through the status objects.
 * Thread-safe: reconcile may be called from any thread, probes run on Vert.x timers.
 */
public final class HealthChecker {
    private static final System.Logger LOG = System.getLogger(HealthChecker.class.getName());

    private final Vertx vertx;
    private final Probe probe;
    private final DoubleSupplier random;
    private final Consumer<TargetTransition> listener;
    private final Map<String, ProbeLoop> loops = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** Which targets are probed here now; the others' state is set elsewhere (relayed verdicts). */
    private volatile java.util.function.Predicate<HealthTarget> probesHere = t -> true;

    /**
     * @param probe    how to check a target
     * @param random   uniform values in [0, 1) for jitter (injected so tests are deterministic)
     * @param listener called with every transition, on an event loop; must not block
     */
    public HealthChecker(Vertx vertx, Probe probe, DoubleSupplier random, Consumer<TargetTransition> listener) {
        this.vertx = vertx;
        this.probe = probe;
        this.random = random;
        this.listener = listener;
    }

    /**
     * Probe only the targets {@code gate} accepts, asked before every probe; the loops of the others keep ticking
     * (cheaply, without I/O) so a target the gate lets through again is probed within one interval.
     */
    public void probeOnly(java.util.function.Predicate<HealthTarget> gate) {
        this.probesHere = gate;
    }

    /** A transition of one target. */
    public record TargetTransition(HealthTarget target, HealthTransition transition) {
    }

    public synchronized void reconcile(Collection<HealthTarget> targets) {
        if (closed) {
            return;
        }
        Set<String> wanted = targets.stream().map(HealthTarget::id).collect(Collectors.toSet());
        loops.entrySet().removeIf(e -> {
            if (!wanted.contains(e.getKey())) {
                e.getValue().stop();
                return true;
            }
            return false;
        });
        for (HealthTarget target : targets) {
            ProbeLoop loop = loops.get(target.id());
            if (loop != null) {
                loop.update(target);
            } else {
                ProbeLoop fresh = new ProbeLoop(target);
                loops.put(target.id(), fresh);
                fresh.start();
            }
        }
    }

    /** Number of addresses being probed (for tests and status). */
    public int size() {
        return loops.size();
    }

    public synchronized void close() {
        closed = true;
        loops.values().forEach(ProbeLoop::stop);
        loops.clear();
    }

    /** Probes one address again and again; never two probes of the same address at once. */
    private final class ProbeLoop {
        private volatile HealthTarget target;
        private volatile boolean stopped;
        private volatile long timerId = -1;

        ProbeLoop(HealthTarget target) {
            this.target = target;
        }

        void start() {
            // A new backend in INITIAL state gets no traffic until it passes, so probe it soon; the jitter
            // spreads the first probes of a large snapshot instead of firing them all at once.
            long firstDelay = 1 + (long) (random.getAsDouble() * Math.min(100, target.check().interval().toMillis()));
            schedule(firstDelay);
        }

        void update(HealthTarget next) {
            target = next;
        }

        void stop() {
            stopped = true;
            vertx.cancelTimer(timerId);
        }

        private void schedule(long delayMillis) {
            if (!stopped) {
                timerId = vertx.setTimer(Math.max(1, delayMillis), id -> runOnce());
            }
        }

        private void runOnce() {
            if (stopped) {
                return;
            }
            HealthTarget t = target;
            if (!probesHere.test(t)) {
                schedule(nextDelay(t));
                return;
            }
            probe.probe(t).onComplete(ar -> {
                ProbeOutcome outcome = ar.succeeded() ? ar.result() : ProbeFailures.classify(ar.cause());
                if (stopped) {
                    return;
                }
                HealthTransition transition = t.status().record(outcome, t.check().healthyThreshold(), t.check().unhealthyThreshold());
                if (transition != null) {
                    LOG.log(System.Logger.Level.INFO, "health of backend {0} ({1}) changed from {2} to {3} reason={4}",
                            t.backend(), t.id(), transition.from().wireName(), transition.to().wireName(), transition.reason());
                    try {
                        listener.accept(new TargetTransition(t, transition));
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "health listener failed", e);
                    }
                }
                schedule(nextDelay(t));
            });
        }

        private long nextDelay(HealthTarget t) {
            long base = (t.status().inTransition() ? t.check().transitionInterval() : t.check().interval()).toMillis();
            // Up to 10% extra, so probes from many data planes do not arrive at a backend in lockstep.
            return base + (long) (random.getAsDouble() * base * 0.1);
        }
    }
}
