package io.ballast.controlplane.push;

import io.ballast.controlplane.revision.PublishedSnapshot;
import io.ballast.wire.v1.Hello;
import io.ballast.wire.v1.Ping;
import io.ballast.wire.v1.SnapshotPush;
import io.ballast.wire.v1.WireCodec;
import io.quarkus.websockets.next.WebSocketConnection;
import org.jboss.logging.Logger;

/**
 * One open socket and, after its {@code hello}, the node it speaks for. Snapshots are sent in
 * revision order and never go backwards: the commit observer and a hello reply may race, and a data
 * plane must not be handed an older revision after a newer one. Thread-safe.
 */
final class DataPlaneSession {
    private static final Logger LOG = Logger.getLogger(DataPlaneSession.class);

    private final WebSocketConnection connection;
    private volatile Hello hello;
    private volatile boolean registered;
    private long lastSentRevision;

    /** Sent with every snapshot (never logged): data planes derive their shared session-ticket keys from it. */
    private final String sessionTicketSecret;

    DataPlaneSession(WebSocketConnection connection, String sessionTicketSecret) {
        this.connection = connection;
        this.sessionTicketSecret = sessionTicketSecret;
    }

    String connectionId() {
        return connection.id();
    }

    WebSocketConnection connection() {
        return connection;
    }

    /** Null until the node said hello. */
    String nodeId() {
        Hello h = hello;
        return h == null ? null : h.nodeId();
    }

    Hello hello() {
        return hello;
    }

    void identify(Hello said) {
        this.hello = said;
        this.registered = false;
    }

    /** Whether the hello is recorded in the registry; false while the database was unreachable. */
    boolean registered() {
        return registered;
    }

    void markRegistered() {
        this.registered = true;
    }

    /**
     * Sends the snapshot unless a newer one was already sent; {@code resend} also repeats the
     * current one (a hello asks for it even when nothing changed).
     *
     * @return true when a frame was queued
     */
    synchronized boolean send(PublishedSnapshot snapshot, boolean resend) {
        if (snapshot.revision() < lastSentRevision || (snapshot.revision() == lastSentRevision && !resend)) {
            return false;
        }
        lastSentRevision = snapshot.revision();
        String frame = WireCodec.encode(new SnapshotPush(snapshot.revision(), snapshot.hash(), snapshot.config(), snapshot.privateKeys(),
                sessionTicketSecret));
        connection.sendText(frame).subscribe().with(
                ok -> { },
                failure -> LOG.debugf("Snapshot %d not sent to %s: %s", snapshot.revision(), nodeId(), failure.getMessage()));
        return true;
    }

    void ping(long at) {
        connection.sendText(WireCodec.encode(new Ping(at))).subscribe().with(
                ok -> { },
                failure -> LOG.debugf("Ping not sent to %s: %s", nodeId(), failure.getMessage()));
    }
}
