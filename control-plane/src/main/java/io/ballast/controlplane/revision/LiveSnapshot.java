package io.ballast.controlplane.revision;

import io.ballast.model.snapshot.SnapshotIndex;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The snapshots of the newest revisions this control-plane instance knows, in memory, keyed by revision
 * number and hash: the base a write applies its change to, and the bases deltas are computed from.
 * Only a hint: whoever asks names the revision (number and hash) the database says is current, and gets
 * nothing when this instance has not seen it (another instance wrote it, this one restarted, or a
 * transaction that remembered it rolled back), and then reads it from the database. Thread-safe.
 */
@ApplicationScoped
public class LiveSnapshot {
    /** Enough for data planes a few revisions behind; unchanged items are shared, so each extra costs little. */
    static final int KEPT = 16;

    private final ConcurrentSkipListMap<Long, Known> byNumber = new ConcurrentSkipListMap<>();

    /** A revision's number, hash and indexed snapshot. */
    public record Known(long number, String hash, SnapshotIndex index) {
    }

    /** Revision {@code number}'s snapshot, if it is known here with exactly {@code hash}. */
    public Optional<SnapshotIndex> at(long number, String hash) {
        Known k = byNumber.get(number);
        return k != null && k.hash().equals(hash) ? Optional.of(k.index()) : Optional.empty();
    }

    /** Revision {@code number}'s snapshot as this instance last remembered it, whatever its hash. */
    public Optional<Known> known(long number) {
        return Optional.ofNullable(byNumber.get(number));
    }

    /** Remembers revision {@code number}; forgets what came after it (a rolled-back guess) and the oldest beyond {@link #KEPT}. */
    public void remember(long number, String hash, SnapshotIndex index) {
        byNumber.tailMap(number, false).clear();
        byNumber.put(number, new Known(number, hash, index));
        while (byNumber.size() > KEPT) {
            Map.Entry<Long, Known> oldest = byNumber.pollFirstEntry();
            if (oldest == null) {
                break;
            }
        }
    }

    /**
     * Remembers revision {@code number} as read from the database, forgetting nothing newer: a reader may
     * race a writer that already remembered its next revision.
     */
    public void rememberRead(long number, String hash, SnapshotIndex index) {
        byNumber.putIfAbsent(number, new Known(number, hash, index));
        while (byNumber.size() > KEPT) {
            if (byNumber.pollFirstEntry() == null) {
                break;
            }
        }
    }

    /** Whether anything is known yet (false after a start: the first write reads everything). */
    public boolean primed() {
        return !byNumber.isEmpty();
    }

    /** Forgets everything (tests, and a write whose incremental result disagreed with the rows). */
    public void clear() {
        byNumber.clear();
    }
}
