package io.ballast.controlplane.push;

import io.ballast.controlplane.console.TrafficRecorder;
import io.ballast.controlplane.fleet.FleetRegistry;
import io.ballast.controlplane.health.HealthStore;
import io.ballast.controlplane.revision.RevisionQueries;
import io.ballast.wire.v1.Ack;
import io.ballast.wire.v1.HealthReport;
import io.ballast.wire.v1.Heartbeat;
import io.ballast.wire.v1.Hello;
import io.ballast.wire.v1.Nack;
import io.ballast.wire.v1.Ping;
import io.ballast.wire.v1.SnapshotPush;
import io.ballast.wire.v1.UnknownMessage;
import io.ballast.wire.v1.WireCodec;
import io.ballast.wire.v1.WireMessage;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * {@code /api/v1/dataplanes/connect}: one socket per data plane, wire v1 JSON text frames.
 * The callbacks return {@code void}, so websockets-next runs them on worker threads (JDBC is fine
 * here), one message at a time per connection. Nothing a peer sends closes the socket: unknown
 * types and malformed frames are logged and ignored, so a newer data plane can talk to an older
 * control plane.
 */
@WebSocket(path = "/api/v1/dataplanes/connect")
public class DataPlaneSocket {
    private static final Logger LOG = Logger.getLogger(DataPlaneSocket.class);
    /** RFC 6455 §7.4.1: policy violation. */
    private static final int REPLACED = 1008;

    private final DataPlaneSessions sessions;
    private final FleetRegistry fleet;
    private final RevisionQueries revisions;
    private final HealthStore health;
    @Inject
    TrafficRecorder traffic;

    DataPlaneSocket(DataPlaneSessions sessions, FleetRegistry fleet, RevisionQueries revisions, HealthStore health) {
        this.sessions = sessions;
        this.fleet = fleet;
        this.revisions = revisions;
        this.health = health;
    }

    @OnOpen
    void onOpen(WebSocketConnection connection) {
        sessions.open(connection);
        LOG.debugf("Data-plane socket %s opened with token '%s'", connection.id(),
                connection.userData().get(DataPlaneUpgradeCheck.TOKEN_NAME));
    }

    @OnTextMessage
    void onText(String frame, WebSocketConnection connection) {
        DataPlaneSession session = sessions.open(connection);
        WireMessage message;
        try {
            message = WireCodec.decode(frame);
        } catch (WireCodec.WireFormatException e) {
            LOG.warnf("Ignored a malformed frame from %s: %s", describe(session), e.getMessage());
            return;
        }
        if (message instanceof Hello hello) {
            onHello(session, hello);
            return;
        }
        String node = session.nodeId();
        if (node == null) {
            LOG.warnf("Ignored a '%s' frame on socket %s before its hello", typeOf(message), connection.id());
            return;
        }
        if (message instanceof Ack ack) {
            fleet.acked(node, ack);
            LOG.infof("Data plane %s applied revision %d", node, ack.revision());
        } else if (message instanceof Nack nack) {
            fleet.nacked(node, nack);
            LOG.warnf("Data plane %s refused revision %d: %s", node, nack.revision(), nack.errors());
        } else if (message instanceof Heartbeat heartbeat) {
            fleet.heartbeat(node, heartbeat);
            traffic.heartbeat(node, heartbeat);
            health.inFlight(node, heartbeat.inFlight());
        } else if (message instanceof HealthReport report) {
            fleet.seen(node);
            health.observed(node, report);
        } else if (message instanceof UnknownMessage unknown) {
            fleet.seen(node);
            LOG.infof("Ignored a frame of unknown type '%s' from data plane %s", unknown.type(), node);
        } else if (message instanceof SnapshotPush || message instanceof Ping) {
            LOG.debugf("Ignored a control-plane-only '%s' frame from data plane %s", typeOf(message), node);
        }
    }

    private void onHello(DataPlaneSession session, Hello hello) {
        if (hello.nodeId() == null || hello.nodeId().isBlank() || hello.nodeId().length() > 253) {
            LOG.warnf("Ignored a hello without a usable nodeId on socket %s", session.connectionId());
            return;
        }
        fleet.hello(hello);
        session.identify(hello.nodeId());
        for (DataPlaneSession older : sessions.othersFor(hello.nodeId(), session)) {
            LOG.infof("Data plane %s reconnected; closing its older socket %s", hello.nodeId(), older.connectionId());
            sessions.close(older.connection());
            older.connection().close(new CloseReason(REPLACED, "replaced by a newer connection")).subscribe().with(ok -> { }, e -> { });
        }
        LOG.infof("Data plane %s connected (host %s, version %s, applied revision %s)",
                hello.nodeId(), hello.hostname(), hello.version(), hello.appliedRevision());
        // Always answer with the latest snapshot: a data plane that already runs its hash acks
        // without rebuilding, and this also covers a hello that raced with a commit.
        revisions.latestSnapshot().ifPresent(latest -> session.send(latest, true));
    }

    @OnPongMessage
    void onPong(Buffer data, WebSocketConnection connection) {
        sessions.get(connection).map(DataPlaneSession::nodeId).ifPresent(fleet::seen);
    }

    @OnClose
    void onClose(WebSocketConnection connection) {
        sessions.close(connection).map(DataPlaneSession::nodeId).ifPresent(node -> {
            boolean stillConnected = sessions.identified().stream().anyMatch(s -> node.equals(s.nodeId()));
            if (!stillConnected) {
                fleet.disconnected(node);
                LOG.infof("Data plane %s disconnected", node);
            }
        });
    }

    @OnError
    void onError(Throwable failure, WebSocketConnection connection) {
        LOG.warnf(failure, "Error on data-plane socket %s", connection.id());
    }

    private static String describe(DataPlaneSession session) {
        return session.nodeId() != null ? "data plane " + session.nodeId() : "socket " + session.connectionId();
    }

    private static String typeOf(WireMessage message) {
        return message.getClass().getSimpleName();
    }
}
