package io.ballast.controlplane.push;

import io.ballast.controlplane.revision.PublishedSnapshot;
import io.ballast.controlplane.revision.RevisionQueries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Sends each committed revision to every data plane connected to this instance. Two paths lead here:
 * the commit on this instance (the CDI event after a successful commit: no database read, the
 * fastest way to this instance's own nodes), and the PostgreSQL notification every instance receives
 * for every commit (the only way a change written through another instance arrives). Whichever comes
 * first pushes; the other finds the revision already sent and does nothing. Only after a successful
 * commit: a rolled-back write must never reach a proxy. Sending only queues frames, so the calling
 * thread is not held up by slow peers. Thread-safe.
 */
@ApplicationScoped
public class SnapshotFanOut {
    private static final Logger LOG = Logger.getLogger(SnapshotFanOut.class);

    private final DataPlaneSessions sessions;
    private final RevisionQueries revisions;
    /** The newest revision handed to this instance's sessions; older announcements are ignored. */
    private final AtomicLong newestPushed = new AtomicLong();

    SnapshotFanOut(DataPlaneSessions sessions, RevisionQueries revisions) {
        this.sessions = sessions;
        this.revisions = revisions;
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

    private void push(PublishedSnapshot snapshot) {
        newestPushed.accumulateAndGet(snapshot.revision(), Math::max);
        int sent = 0;
        for (DataPlaneSession session : sessions.identified()) {
            if (session.send(snapshot, false)) {
                sent++;
            }
        }
        if (sent > 0) {
            LOG.infof("Revision %d pushed to %d data plane(s)", snapshot.revision(), sent);
        }
    }
}
