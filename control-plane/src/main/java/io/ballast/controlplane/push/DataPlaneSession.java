package io.ballast.controlplane.push;

import io.ballast.controlplane.revision.PublishedSnapshot;
import io.ballast.wire.v1.Hello;
import io.ballast.wire.v1.Ping;
import io.ballast.wire.v1.WireCodec;
import io.quarkus.websockets.next.WebSocketConnection;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One open socket and, after its {@code hello}, the node it speaks for. Snapshots are sent in
 * revision order and never go backwards: the commit observer and a hello reply may race, and a data
 * plane must not be handed an older revision after a newer one. A node that takes deltas gets the
 * changes from the revision it last acked (or said in its hello it runs) when they are small; a
 * {@code resync} from it gets the full snapshot. While a frame is being written, newer snapshots
 * collapse to the newest, which is sent when the write finishes. Thread-safe.
 */
final class DataPlaneSession {
    private static final Logger LOG = Logger.getLogger(DataPlaneSession.class);

    private final WebSocketConnection connection;
    private final SnapshotFrames frames;
    private volatile Hello hello;
    private volatile boolean registered;
    private long lastSentRevision;
    private PublishedSnapshot lastSent;
    /** What the node runs as far as this socket knows (its hello, then its acks): the base of a delta. */
    private Long baseRevision;
    private String baseHash;
    /** Set by a {@code resync}: the next frame is a full snapshot whatever the node supports. */
    private boolean fullRequested;
    /**
     * A frame is being written, or was sent and not yet answered (ack, nack or resync); {@link #queued} is
     * the newest snapshot waiting for that. One snapshot in flight per node: a node is never handed revisions
     * it would only skip (each one parsed for nothing), and the next delta is based on what it just acked.
     */
    private boolean writing;
    private long unansweredSince;
    private PublishedSnapshot queued;
    /** How long an unanswered snapshot holds back the next one (a lost answer must not stall the node). */
    static final long ANSWER_WAIT_MILLIS = 5_000;

    DataPlaneSession(WebSocketConnection connection, SnapshotFrames frames) {
        this.connection = connection;
        this.frames = frames;
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

    /** The newest snapshot sent to this node (the config it runs or is about to), or null before the first. */
    synchronized PublishedSnapshot lastSent() {
        return lastSent;
    }

    synchronized void identify(Hello said) {
        this.hello = said;
        this.registered = false;
        this.baseRevision = said.appliedRevision();
        this.baseHash = said.appliedHash();
    }

    /** The node acked {@code revision}: it runs it now, so it is the base of the next delta. */
    synchronized void acked(long revision, String hash) {
        if (hash != null && (baseRevision == null || revision >= baseRevision)) {
            baseRevision = revision;
            baseHash = hash;
        }
        answered();
    }

    /**
     * The node could not apply a delta: sends the last snapshot sent to it again, whole.
     *
     * @return true when a frame was queued
     */
    synchronized boolean resendFull() {
        if (lastSent == null) {
            return false;
        }
        fullRequested = true;
        unansweredSince = 0;
        // lastSent is the newest snapshot for this node: if it was waiting, it goes now, whole.
        queued = null;
        return send(lastSent, true);
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
        lastSent = snapshot;
        if (writing || awaitingAnswer()) {
            // A slow peer must not pile up one frame per revision in memory: only the newest waits.
            queued = snapshot;
            // Encoded (and compressed) here, on the caller's worker thread: the queued frame is sent from the
            // event loop that completes the current write, which must not spend milliseconds gzipping.
            SnapshotFrames.Frame full = frames.full(snapshot);
            Hello h = hello;
            if (full.large() && h != null && h.supports(Hello.GZIP)) {
                full.gzip();
            }
            return true;
        }
        write(snapshot);
        return true;
    }

    private boolean awaitingAnswer() {
        return unansweredSince != 0 && System.currentTimeMillis() - unansweredSince < ANSWER_WAIT_MILLIS;
    }

    /** The node answered the snapshot in flight: the newest one waiting (if any) goes now. */
    synchronized void answered() {
        unansweredSince = 0;
        if (!writing) {
            sendQueued();
        }
    }

    /** Sends what waits behind an answer that never came ({@link #ANSWER_WAIT_MILLIS}); called by the ping timer. */
    synchronized void flushStalled() {
        if (!writing && queued != null && !awaitingAnswer()) {
            sendQueued();
        }
    }

    private void sendQueued() {
        PublishedSnapshot next = queued;
        queued = null;
        if (next != null) {
            write(next);
        }
    }

    private void write(PublishedSnapshot snapshot) {
        writing = true;
        unansweredSince = System.currentTimeMillis();
        SnapshotFrames.Frame frame;
        try {
            frame = frameFor(snapshot);
        } catch (RuntimeException e) {
            // Never leave the session believing a write is under way: nothing would be sent to it again.
            writing = false;
            LOG.warnf(e, "Snapshot %d could not be encoded for %s", snapshot.revision(), nodeId());
            return;
        }
        Hello h = hello;
        boolean gzip = frame.large() && h != null && h.supports(Hello.GZIP);
        (gzip ? connection.sendBinary(frame.gzip()) : connection.sendText(frame.text())).subscribe().with(
                ok -> written(),
                failure -> {
                    LOG.debugf("Snapshot %d not sent to %s: %s", snapshot.revision(), nodeId(), failure.getMessage());
                    written();
                });
    }

    private synchronized void written() {
        writing = false;
        if (!awaitingAnswer()) {
            sendQueued();
        }
    }

    /** A delta when the node takes them and this instance holds the base it runs, else the full snapshot. */
    private SnapshotFrames.Frame frameFor(PublishedSnapshot snapshot) {
        Hello h = hello;
        if (!fullRequested && h != null && h.supports(Hello.DELTA) && baseRevision != null && baseHash != null) {
            Optional<SnapshotFrames.Frame> delta = frames.delta(snapshot, baseRevision, baseHash);
            if (delta.isPresent()) {
                return delta.get();
            }
        }
        fullRequested = false;
        return frames.full(snapshot);
    }

    void ping(long at) {
        connection.sendText(WireCodec.encode(new Ping(at))).subscribe().with(
                ok -> { },
                failure -> LOG.debugf("Ping not sent to %s: %s", nodeId(), failure.getMessage()));
    }
}
