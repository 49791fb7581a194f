package io.ballast.controlplane.push;

import io.ballast.controlplane.console.TrafficRecorder;
import io.ballast.controlplane.fleet.FleetRegistry;
import io.ballast.controlplane.fleet.NodeBindings;
import io.ballast.controlplane.fleet.VersionPolicy;
import io.ballast.controlplane.health.HealthReplacement;
import io.ballast.controlplane.health.HealthStore;
import io.ballast.model.validation.NodeIds;
import io.ballast.wire.v1.Ack;
import io.ballast.wire.v1.HealthReport;
import io.ballast.wire.v1.Heartbeat;
import io.ballast.wire.v1.Hello;
import io.ballast.wire.v1.Nack;
import io.ballast.wire.v1.Ping;
import io.ballast.wire.v1.Resync;
import io.ballast.wire.v1.SnapshotDelta;
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
import jakarta.enterprise.inject.Instance;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code /api/v1/dataplanes/connect}: one socket per data plane, wire v1 JSON text frames.
 * The callbacks return {@code void}, so websockets-next runs them on worker threads (JDBC is fine
 * here), one message at a time per connection. Nothing a peer sends closes the socket: unknown
 * types and malformed frames are logged and ignored, so a newer data plane can talk to an older
 * control plane. A data plane of an unsupported major version is refused with a close frame that
 * says why, and the reason is recorded for {@code GET /dataplanes}. While the database is unreachable
 * the socket stays open and the data plane keeps serving what it has: what it says is logged and
 * its hello recorded again with its next message once the database is back.
 *
 * <p>A node id belongs to the data-plane token that first said hello with it ({@link NodeBindings}):
 * a hello for that node id with another token is refused (close 1008 with the reason, and an error
 * line in the log) and changes nothing that the real node reported. A hello whose node id is not a
 * slug, or whose hostname, version or labels carry control characters or markup, is refused too,
 * since all of them end up in logs and in the console. A registered hello's {@code health} replaces
 * everything the node reported before.
 */
@WebSocket(path = "/api/v1/dataplanes/connect")
public class DataPlaneSocket {
    private static final Logger LOG = Logger.getLogger(DataPlaneSocket.class);
    /** RFC 6455 §7.4.1: policy violation. */
    private static final int POLICY = 1008;
    /** RFC 6455 §5.5: a close reason fits in 123 bytes. */
    private static final int MAX_CLOSE_REASON = 120;
    private static final int MAX_HOSTNAME = 253;
    /** The width of {@code dataplanes.version}. */
    private static final int MAX_VERSION = 64;
    private static final int MAX_LABELS = 64;
    private static final int MAX_LABEL_KEY = 63;

    private final DataPlaneSessions sessions;
    private final FleetRegistry fleet;
    private final VersionPolicy versions;
    private final HealthStore health;
    private final TrafficRecorder traffic;
    private final NodeBindings bindings;
    private final HealthReplacement healthReplacement;
    private final SnapshotFanOut fanOut;
    private final Instance<HeartbeatObserver> heartbeatObservers;
    private final NodeLocks nodeLocks;
    private final InstanceShutdown shutdown;

    DataPlaneSocket(DataPlaneSessions sessions, FleetRegistry fleet, VersionPolicy versions,
                    HealthStore health, TrafficRecorder traffic, NodeBindings bindings, HealthReplacement healthReplacement,
                    SnapshotFanOut fanOut, Instance<HeartbeatObserver> heartbeatObservers, NodeLocks nodeLocks,
                    InstanceShutdown shutdown) {
        this.fanOut = fanOut;
        this.heartbeatObservers = heartbeatObservers;
        this.nodeLocks = nodeLocks;
        this.shutdown = shutdown;
        this.bindings = bindings;
        this.healthReplacement = healthReplacement;
        this.traffic = traffic;
        this.sessions = sessions;
        this.fleet = fleet;
        this.versions = versions;
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
        if (shutdown.stopping()) {
            // The database is going away with this instance; the data plane says it all again to the next one.
            LOG.debugf("Ignored a frame on socket %s: this control plane is stopping", connection.id());
            return;
        }
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
        if (!session.registered() && !registerLate(session)) {
            return;
        }
        if (message instanceof Ack ack) {
            session.acked(ack.revision(), ack.hash());
            record(session, "ack", () -> fleet.acked(node, ack));
            LOG.infof("Data plane %s applied revision %d", node, ack.revision());
        } else if (message instanceof Nack nack) {
            session.answered();
            record(session, "nack", () -> fleet.nacked(node, nack));
            LOG.warnf("Data plane %s refused revision %d: %s", node, nack.revision(), nack.errors());
        } else if (message instanceof Heartbeat heartbeat) {
            record(session, "heartbeat", () -> fleet.heartbeat(node, heartbeat));
            traffic.heartbeat(node, heartbeat);
            for (HeartbeatObserver observer : heartbeatObservers) {
                record(session, "heartbeat", () -> observer.heartbeat(node, session.hello().labels(), heartbeat));
            }
            health.inFlight(node, heartbeat.inFlight());
        } else if (message instanceof HealthReport report) {
            record(session, "health report", () -> {
                fleet.seen(node);
                health.observed(node, report);
            });
        } else if (message instanceof UnknownMessage unknown) {
            record(session, "unknown frame", () -> fleet.seen(node));
            LOG.infof("Ignored a frame of unknown type '%s' from data plane %s", unknown.type(), node);
        } else if (message instanceof Resync resync) {
            LOG.infof("Data plane %s could not apply the delta to revision %d (%s); sending the full snapshot",
                    node, resync.revision(), resync.reason());
            session.resendFull();
        } else if (message instanceof SnapshotPush || message instanceof SnapshotDelta || message instanceof Ping) {
            LOG.debugf("Ignored a control-plane-only '%s' frame from data plane %s", typeOf(message), node);
        }
    }

    private void onHello(DataPlaneSession session, Hello hello) {
        Optional<String> invalid = invalid(hello);
        if (invalid.isPresent()) {
            LOG.warnf("Refused a hello on socket %s: %s", session.connectionId(), invalid.get());
            sessions.close(session.connection());
            close(session, "invalid hello: " + invalid.get());
            return;
        }
        session.identify(hello);
        Claim claim = claim(session);
        if (claim == Claim.TAKEN) {
            return;
        }
        Optional<String> refusal = versions.refusal(hello.version());
        if (refusal.isPresent()) {
            refuse(session, hello, refusal.get());
            return;
        }
        if (claim == Claim.OWNED) {
            completeRegistration(session);
        }
        LOG.infof("Data plane %s connected (host %s, version %s, applied revision %s)",
                hello.nodeId(), hello.hostname(), hello.version(), hello.appliedRevision());
        // Always answer with the snapshot it should run (the latest, unless a canary holds it back): a data plane that already runs its hash acks
        // without rebuilding, and this also covers a hello that raced with a commit. With the
        // database down there is nothing to send; the revision listener catches up when it returns.
        try {
            fanOut.snapshotFor(session).ifPresent(target -> session.send(target, true));
        } catch (RuntimeException e) {
            LOG.warnf("No snapshot for data plane %s now (database unavailable?): %s", hello.nodeId(), e.getMessage());
        }
    }

    /** What a hello says must be safe to log, store and show: a slug node id, printable text beside it. */
    private static Optional<String> invalid(Hello hello) {
        Optional<String> nodeId = NodeIds.refusal(hello.nodeId());
        if (nodeId.isPresent()) {
            return nodeId;
        }
        if (!NodeIds.printable(hello.hostname(), MAX_HOSTNAME) || !NodeIds.printable(hello.version(), MAX_VERSION)) {
            return Optional.of("hostname and version must be printable text without '<' or '>' (at most "
                    + MAX_HOSTNAME + " and " + MAX_VERSION + " characters)");
        }
        boolean labelsOk = hello.labels().size() <= MAX_LABELS && hello.labels().entrySet().stream()
                .allMatch(e -> !e.getKey().isEmpty() && NodeIds.printable(e.getKey(), MAX_LABEL_KEY)
                        && NodeIds.printable(e.getValue(), MAX_HOSTNAME));
        return labelsOk ? Optional.empty() : Optional.of("at most " + MAX_LABELS
                + " labels of printable text without '<' or '>'");
    }

    /** Whether this socket's token owns the node id it said hello with. */
    private enum Claim { OWNED, TAKEN, UNKNOWN }

    /**
     * Binds the node id to this socket's token, or refuses the socket when another token owns it: a
     * takeover would receive the node's config, kick the real node off and plant health reports in
     * its name. UNKNOWN while the database is unreachable: the hello is then recorded (and the claim
     * made) with the node's next message, and nothing is done in its name before that.
     */
    private Claim claim(DataPlaneSession session) {
        Hello hello = session.hello();
        Long tokenId = session.connection().userData().get(DataPlaneUpgradeCheck.TOKEN_ID);
        String tokenName = session.connection().userData().get(DataPlaneUpgradeCheck.TOKEN_NAME);
        Optional<NodeBindings.Owner> owner;
        try {
            owner = tokenId == null ? Optional.of(new NodeBindings.Owner(-1, "(unknown)")) : bindings.claim(hello.nodeId(), tokenId);
        } catch (RuntimeException e) {
            LOG.warnf("Could not check who owns node id %s (database unavailable?): %s", hello.nodeId(), e.getMessage());
            return Claim.UNKNOWN;
        }
        if (owner.isEmpty()) {
            return Claim.OWNED;
        }
        LOG.errorf("SECURITY: refused a takeover of data plane %s on socket %s: the node id belongs to data-plane token '%s',"
                        + " this hello came with token '%s'. Someone holding that token is impersonating the node;"
                        + " delete token '%s' to release the node id if this is a legitimate move.",
                hello.nodeId(), session.connectionId(), owner.get().tokenName(), tokenName, owner.get().tokenName());
        sessions.close(session.connection());
        close(session, "node id is bound to another data-plane token");
        return Claim.TAKEN;
    }

    /** Records the hello of a node this token owns, replaces its health, and retires its older sockets. */
    private boolean completeRegistration(DataPlaneSession session) {
        Hello hello = session.hello();
        boolean[] recorded = new boolean[1];
        // The session is identified already, so an old socket's close that takes the lock after us sees it.
        nodeLocks.run(hello.nodeId(), () -> recorded[0] = record(session, "hello", () -> fleet.hello(hello)));
        if (!recorded[0]) {
            return false;
        }
        session.markRegistered();
        if (hello.health() != null) {
            healthReplacement.replace(hello.nodeId(), hello.health());
        }
        for (DataPlaneSession older : sessions.othersFor(hello.nodeId(), session)) {
            LOG.infof("Data plane %s reconnected; closing its older socket %s", hello.nodeId(), older.connectionId());
            sessions.close(older.connection());
            close(older, "replaced by a newer connection");
        }
        return true;
    }

    /** The registration a hello could not make while the database was down, made with a later message. */
    private boolean registerLate(DataPlaneSession session) {
        Claim claim = claim(session);
        return claim == Claim.OWNED && completeRegistration(session);
    }

    private static void close(DataPlaneSession session, String reason) {
        String shortReason = reason.length() > MAX_CLOSE_REASON ? reason.substring(0, MAX_CLOSE_REASON) : reason;
        session.connection().close(new CloseReason(POLICY, shortReason)).subscribe().with(ok -> { }, e -> { });
    }

    private void refuse(DataPlaneSession session, Hello hello, String reason) {
        LOG.warnf("Refused data plane %s: %s", hello.nodeId(), reason);
        record(session, "refusal", () -> fleet.refused(hello, reason));
        sessions.close(session.connection());
        close(session, reason);
    }

    /** Runs a registry update; false (and a log line) when the database refused it. */
    private static boolean record(DataPlaneSession session, String what, Runnable update) {
        try {
            update.run();
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("Could not record the %s of %s (database unavailable?): %s", what, describe(session), e.getMessage());
            return false;
        }
    }

    @OnPongMessage
    void onPong(Buffer data, WebSocketConnection connection) {
        sessions.get(connection).filter(DataPlaneSession::registered).filter(s -> !shutdown.stopping())
                .ifPresent(session -> record(session, "pong", () -> fleet.seen(session.nodeId())));
    }

    @OnClose
    void onClose(WebSocketConnection connection) {
        sessions.close(connection).filter(s -> s.nodeId() != null).ifPresent(session -> {
            String node = session.nodeId();
            if (shutdown.stopping()) {
                LOG.infof("Data plane %s disconnected (this control plane is stopping)", node);
                return;
            }
            nodeLocks.run(node, () -> {
                boolean stillConnected = sessions.identified().stream().anyMatch(s -> node.equals(s.nodeId()));
                if (!stillConnected) {
                    record(session, "disconnect", () -> fleet.disconnected(node));
                    LOG.infof("Data plane %s disconnected", node);
                }
            });
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
