package io.ballast.controlplane.push;

import io.ballast.controlplane.revision.PublishedSnapshot;
import io.ballast.controlplane.revision.RevisionQueries;
import io.ballast.controlplane.revision.RevisionTargets;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Sends each committed revision to every data plane connected to this instance. Two paths lead here:
 * the commit on this instance (the CDI event after a successful commit: no database read, the
 * fastest way to this instance's own nodes), and the PostgreSQL notification every instance receives
 * for every commit (the only way a change written through another instance arrives). Whichever comes
 * first pushes; the other finds the revision already sent and does nothing. Only after a successful
 * commit: a rolled-back write must never reach a proxy. Sending only queues frames, so the calling
 * thread is not held up by slow peers.
 *
 * <p>Each node gets the revision {@link RevisionTargets} says it should run: the newest, unless a
 * canary rollout holds it on the one before. Thread-safe.
 */
@ApplicationScoped
public class SnapshotFanOut {
    private static final Logger LOG = Logger.getLogger(SnapshotFanOut.class);

    private final DataPlaneSessions sessions;
    private final RevisionQueries revisions;
    private final RevisionTargets targets;
    /** The newest revision handed to this instance's sessions; older announcements are ignored. */
    private final AtomicLong newestPushed = new AtomicLong();

    SnapshotFanOut(DataPlaneSessions sessions, RevisionQueries revisions, RevisionTargets targets) {
        this.sessions = sessions;
        this.revisions = revisions;
        this.targets = targets;
    }

    void onCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) PublishedSnapshot snapshot) {
        push(snapshot);
    }

    /**
     * Revision {@code number} was committed by some instance. Reads the newest snapshot (blocking
     * JDBC: not on an event loop) unless it was already pushed, so announcements that pile up
     * collapse to one push of the newest.
     */
    public void announced(long number) {
        if (number <= newestPushed.get()) {
            return;
        }
        if (sessions.identified().isEmpty()) {
            // Nobody to tell; a node that connects later is sent the latest in reply to its hello.
            newestPushed.accumulateAndGet(number, Math::max);
            return;
        }
        revisions.latestSnapshot().ifPresent(this::push);
    }

    /** After missed notifications (the database was away): pushes the newest revision if it is new here. */
    public void catchUp() {
        if (!sessions.identified().isEmpty()) {
            // Sessions skip what they were already sent, so this pushes only to nodes that missed it.
            revisions.latestSnapshot().ifPresent(this::push);
        }
    }

    /**
     * Which revision a node should run changed without a new revision (a canary was promoted, maybe
     * through another instance): every session is sent its target again; sessions skip what they were
     * already sent. Blocking JDBC.
     */
    public void retarget() {
        if (!sessions.identified().isEmpty()) {
            revisions.latestSnapshot().ifPresent(this::push);
        }
    }

    /** The snapshot a node that just said hello on {@code session} should run. Blocking JDBC. */
    Optional<PublishedSnapshot> snapshotFor(DataPlaneSession session) {
        Optional<PublishedSnapshot> latest = revisions.latestSnapshot();
        if (latest.isEmpty()) {
            return latest;
        }
        long target = targets.plan().revisionFor(session.nodeId(), session.hello().labels(), latest.get().revision());
        return target == latest.get().revision() ? latest : published(target);
    }

    private void push(PublishedSnapshot latest) {
        RevisionTargets.Plan plan;
        try {
            plan = targets.plan();
        } catch (RuntimeException e) {
            // Without the split nothing may be pushed: the newest revision could be a canary. The
            // listener's catch-up or the next announcement pushes it once the database answers.
            LOG.warnf("Revision %d not pushed now (cannot read which nodes should run it): %s", latest.revision(), e.getMessage());
            return;
        }
        newestPushed.accumulateAndGet(latest.revision(), Math::max);
        Map<Long, Optional<PublishedSnapshot>> heldBack = new HashMap<>();
        int sent = 0;
        for (DataPlaneSession session : sessions.identified()) {
            long target = plan.revisionFor(session.nodeId(), session.hello().labels(), latest.revision());
            PublishedSnapshot snapshot = target == latest.revision() ? latest
                    : heldBack.computeIfAbsent(target, this::published).orElse(null);
            if (snapshot != null && session.send(snapshot, false)) {
                sent++;
            }
        }
        if (sent > 0) {
            LOG.infof("Revision %d pushed to %d data plane(s)%s", latest.revision(), sent,
                    heldBack.isEmpty() ? "" : " (a canary holds others on revision(s) " + heldBack.keySet() + ")");
        }
    }

    /** In a transaction of its own: the commit observer runs after its transaction completed. */
    private Optional<PublishedSnapshot> published(long revision) {
        return QuarkusTransaction.requiringNew().call(() -> revisions.published(revision));
    }
}
