package io.ballast.controlplane.push;

import io.ballast.controlplane.certificate.CertificateKeys;
import io.ballast.controlplane.revision.PublishedSnapshot;
import io.ballast.controlplane.revision.LiveSnapshot;
import io.ballast.model.Certificate;
import io.ballast.model.snapshot.SnapshotChange;
import io.ballast.model.snapshot.SnapshotIndex;
import io.ballast.wire.v1.Gzip;
import io.ballast.wire.v1.SnapshotDelta;
import io.ballast.wire.v1.WireCodec;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Encodes each revision's {@code snapshot} frame once, however many sessions it goes to (a fan-out to
 * 100 data planes used to serialize the whole config 100 times). The frame is spliced around the
 * canonical JSON the revision already has, so no config is walked again. Keeps the frames of the
 * last few revisions (a reconnect storm asks for the newest one again and again), and the deltas
 * between recent revisions for data planes that said they take them ({@code hello.features}). Thread-safe.
 */
@ApplicationScoped
public class SnapshotFrames {
    static final int KEPT = 8;
    /** A delta is sent when it names at most this many items, or a quarter of the config if that is more. */
    static final int SMALL_DELTA = 16;

    /** Not {@link io.ballast.controlplane.revision.RevisionQueries}: a delta may be made on an event loop (a write finished), where no transaction may start. */
    private final LiveSnapshot revisions;

    private final Map<String, Frame> recent = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Frame> eldest) {
            return size() > KEPT;
        }
    };

    /** One encoded frame, and its gzip form made the first time a session asks for it. Thread-safe. */
    public static final class Frame {
        private final String text;
        private volatile byte[] gzip;

        Frame(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        /** Worth compressing: at least {@link Gzip#MIN_BYTES}. */
        public boolean large() {
            return text.length() >= Gzip.MIN_BYTES;
        }

        public byte[] gzip() {
            byte[] g = gzip;
            if (g == null) {
                synchronized (this) {
                    g = gzip;
                    if (g == null) {
                        g = Gzip.compress(text);
                        gzip = g;
                    }
                }
            }
            return g;
        }
    }

    /** Sent with every full snapshot (never logged): data planes derive their shared session-ticket keys from it. */
    private final String sessionTicketSecret;

    SnapshotFrames(LiveSnapshot revisions, CertificateKeys keys) {
        this.revisions = revisions;
        this.sessionTicketSecret = keys.sessionTicketSecret();
    }

    /**
     * The {@code delta} frame that turns the config of {@code baseRevision} (hashing {@code baseHash}) into
     * {@code target}; empty when this instance does not hold that base, or when the change is not small.
     */
    public Optional<Frame> delta(PublishedSnapshot target, long baseRevision, String baseHash) {
        if (target.index() == null || baseRevision > target.revision()) {
            return Optional.empty();
        }
        String key = baseRevision + "/" + baseHash + ">" + target.revision() + "/" + target.hash();
        synchronized (recent) {
            Frame frame = recent.get(key);
            if (frame != null) {
                return Optional.of(frame);
            }
        }
        Optional<SnapshotIndex> base = revisions.at(baseRevision, baseHash);
        if (base.isEmpty()) {
            return Optional.empty();
        }
        SnapshotChange change = target.index().changesSince(base.get());
        if (change.size() > Math.max(SMALL_DELTA, target.index().size() / 4)) {
            return Optional.empty();
        }
        Map<String, String> keys = new TreeMap<>();
        for (Certificate c : change.certificates()) {
            String key2 = target.privateKeys().get(c.name());
            if (key2 != null) {
                keys.put(c.name(), key2);
            }
        }
        Frame frame = new Frame(WireCodec.encode(new SnapshotDelta(target.revision(), target.hash(), baseRevision, baseHash,
                change, keys)));
        synchronized (recent) {
            recent.put(key, frame);
        }
        return Optional.of(frame);
    }

    /** The full {@code snapshot} frame of {@code snapshot}. */
    public Frame full(PublishedSnapshot snapshot) {
        String key = snapshot.revision() + "/" + snapshot.hash();
        synchronized (recent) {
            Frame frame = recent.get(key);
            if (frame != null) {
                return frame;
            }
        }
        SnapshotIndex index = snapshot.index();
        String config = index != null ? index.canonicalJson() : snapshot.config().canonicalJson();
        Frame frame = new Frame(WireCodec.encodeSnapshot(snapshot.revision(), snapshot.hash(), config, snapshot.privateKeys(),
                sessionTicketSecret));
        synchronized (recent) {
            recent.put(key, frame);
        }
        return frame;
    }
}
