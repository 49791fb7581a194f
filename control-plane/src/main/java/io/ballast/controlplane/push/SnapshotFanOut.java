package io.ballast.controlplane.push;

import io.ballast.controlplane.revision.PublishedSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.jboss.logging.Logger;

/**
 * Sends each committed revision to every data plane connected to this instance. Only after a
 * successful commit: a rolled-back write must never reach a proxy. Sending only queues frames, so
 * the committing thread is not held up by slow peers.
 */
@ApplicationScoped
public class SnapshotFanOut {
    private static final Logger LOG = Logger.getLogger(SnapshotFanOut.class);

    private final DataPlaneSessions sessions;

    SnapshotFanOut(DataPlaneSessions sessions) {
        this.sessions = sessions;
    }

    void onCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) PublishedSnapshot snapshot) {
        int sent = 0;
        for (DataPlaneSession session : sessions.identified()) {
            if (session.send(snapshot, false)) {
                sent++;
            }
        }
        LOG.infof("Revision %d pushed to %d data plane(s)", snapshot.revision(), sent);
    }
}
