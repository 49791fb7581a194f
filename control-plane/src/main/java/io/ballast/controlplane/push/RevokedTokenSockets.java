package io.ballast.controlplane.push;

import io.ballast.controlplane.security.TokenRevoked;
import io.quarkus.websockets.next.CloseReason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.jboss.logging.Logger;

/**
 * Closes this instance's data-plane sockets that were opened with a token that has just been
 * deleted: revocation must take effect at once, not at the node's next reconnect. Closing only
 * queues a frame, so the committing thread is not held up.
 */
@ApplicationScoped
public class RevokedTokenSockets {
    private static final Logger LOG = Logger.getLogger(RevokedTokenSockets.class);
    /** RFC 6455 §7.4.1: policy violation. */
    private static final int POLICY_VIOLATION = 1008;

    private final DataPlaneSessions sessions;

    RevokedTokenSockets(DataPlaneSessions sessions) {
        this.sessions = sessions;
    }

    void onRevoked(@Observes(during = TransactionPhase.AFTER_SUCCESS) TokenRevoked revoked) {
        for (DataPlaneSession session : sessions.openedWith(revoked.name())) {
            LOG.infof("Closing data-plane socket %s (%s): its token '%s' was revoked", session.connectionId(),
                    session.nodeId() == null ? "no hello yet" : "node " + session.nodeId(), revoked.name());
            session.connection().close(new CloseReason(POLICY_VIOLATION, "token revoked")).subscribe().with(ok -> { }, e -> { });
        }
    }
}
