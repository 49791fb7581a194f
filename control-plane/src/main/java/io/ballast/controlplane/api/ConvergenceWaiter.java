package io.ballast.controlplane.api;

import io.ballast.controlplane.fleet.DataPlaneStatus;
import io.ballast.controlplane.fleet.FleetRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Waits until every connected data plane has applied a revision. It relies only on what the fleet
 * registry reads from the database (the applied revision of each connected node), so it sees acks
 * that reach any control-plane instance. Polling runs on one small scheduler thread of its own:
 * neither an event loop nor a request worker is held while a caller waits. Thread-safe.
 */
@ApplicationScoped
public class ConvergenceWaiter {
    private static final Logger LOG = Logger.getLogger(ConvergenceWaiter.class);
    private static final long POLL_MILLIS = 100;

    private final FleetRegistry fleet;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ballast-convergence");
        t.setDaemon(true);
        return t;
    });

    ConvergenceWaiter(FleetRegistry fleet) {
        this.fleet = fleet;
    }

    /** Completes when the fleet runs {@code revision} (or newer), when waiting is pointless, or at the timeout. */
    public CompletionStage<Convergence> await(long revision, Duration timeout) {
        CompletableFuture<Convergence> result = new CompletableFuture<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        scheduler.execute(() -> poll(revision, deadline, result));
        return result;
    }

    private void poll(long revision, long deadline, CompletableFuture<Convergence> result) {
        Convergence now;
        try {
            now = Convergence.of(revision, fleet.list());
        } catch (RuntimeException e) {
            LOG.warnf("Could not read the fleet while waiting for revision %d: %s", revision, e.getMessage());
            now = null;
        }
        boolean timedOut = System.nanoTime() - deadline >= 0;
        if (now != null && (now.converged() || now.hopeless() || timedOut)) {
            result.complete(now);
        } else if (timedOut) {
            result.complete(new Convergence(revision, false, 0, List.of()));
        } else {
            scheduler.schedule(() -> poll(revision, deadline, result), POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        scheduler.shutdownNow();
    }

    /**
     * @param converged every connected data plane runs {@code revision} or newer, or the older revision a baking
     *                  canary holds it on (true when none is connected)
     * @param connected how many data planes are connected
     * @param pending   the connected ones that do not run it yet
     */
    public record Convergence(long revision, boolean converged, int connected, List<Laggard> pending) {
        static Convergence of(long revision, List<DataPlaneStatus> nodes) {
            List<DataPlaneStatus> connected = nodes.stream().filter(DataPlaneStatus::connected).toList();
            List<Laggard> pending = connected.stream()
                    // A node a baking canary holds back converges on its target, not on the canary.
                    .filter(n -> n.appliedRevision() == null
                            || n.appliedRevision() < (n.targetRevision() == null ? revision : Math.min(revision, n.targetRevision())))
                    .map(n -> new Laggard(n.nodeId(), n.appliedRevision(),
                            n.lastNack() != null && n.lastNack().revision() != null && n.lastNack().revision() >= revision))
                    .toList();
            return new Convergence(revision, pending.isEmpty(), connected.size(), pending);
        }

        /** Every laggard refused the revision: it will not converge, so there is no point waiting. */
        boolean hopeless() {
            return !pending.isEmpty() && pending.stream().allMatch(Laggard::refused);
        }
    }

    /**
     * @param appliedRevision what the node runs (null: nothing yet)
     * @param refused         the node refused (nacked) the revision; see {@code GET /dataplanes} for why
     */
    public record Laggard(String nodeId, Long appliedRevision, boolean refused) {
    }
}
