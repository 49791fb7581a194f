package io.ballast.dataplane.config;

import io.ballast.model.Certificate;
import io.ballast.model.snapshot.SnapshotIndex;
import io.ballast.wire.v1.SnapshotDelta;
import io.ballast.wire.v1.SnapshotPush;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The configs of the last few revisions this data plane applied (indexed, with their private keys): the
 * bases a {@link SnapshotDelta} is resolved against. More than one, because the control plane bases a delta
 * on the revision last acked, and the next revision may already be applied here when it arrives.
 * Unchanged items are shared between the indexes, so each extra revision costs little. Thread-safe.
 */
final class AppliedHistory {
    static final int KEPT = 16;

    private record Known(String hash, SnapshotIndex index, Map<String, String> privateKeys) {
    }

    /**
     * A delta turned into the full snapshot it stands for, with its config indexed, and the base it was
     * applied to (whose items the result shares where the delta did not touch them).
     */
    record Resolved(SnapshotPush push, SnapshotIndex index, SnapshotIndex base) {
    }

    /** Why a delta cannot be resolved here. */
    static final class UnresolvableDeltaException extends Exception {
        UnresolvableDeltaException(String message) {
            super(message);
        }
    }

    private final Map<Long, Known> byRevision = new LinkedHashMap<>(8, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Known> eldest) {
            return size() > KEPT;
        }
    };

    synchronized void remember(long revision, String hash, SnapshotIndex index, Map<String, String> privateKeys) {
        if (index != null) {
            byRevision.remove(revision);
            byRevision.put(revision, new Known(hash, index, Map.copyOf(privateKeys)));
        }
    }

    /** The full snapshot {@code delta} stands for, checked against its hash. */
    Resolved resolve(SnapshotDelta delta) throws UnresolvableDeltaException {
        Known base;
        synchronized (this) {
            base = byRevision.get(delta.baseRevision());
        }
        if (base == null || !base.hash().equals(delta.baseHash())) {
            throw new UnresolvableDeltaException("no config of base revision " + delta.baseRevision() + " with hash "
                    + delta.baseHash() + " here");
        }
        SnapshotIndex result;
        try {
            result = base.index().apply(delta.changes());
        } catch (IllegalArgumentException e) {
            throw new UnresolvableDeltaException("the changes do not apply: " + e.getMessage());
        }
        if (!result.hash().equals(delta.hash())) {
            throw new UnresolvableDeltaException("the result hashes " + result.hash() + ", not " + delta.hash());
        }
        Map<String, String> keys = new TreeMap<>(base.privateKeys());
        delta.changes().removedCertificates().forEach(keys::remove);
        for (Certificate c : delta.changes().certificates()) {
            keys.remove(c.name());
        }
        keys.putAll(delta.privateKeys());
        return new Resolved(new SnapshotPush(delta.revision(), delta.hash(), result.snapshot(), keys), result, base.index());
    }
}
