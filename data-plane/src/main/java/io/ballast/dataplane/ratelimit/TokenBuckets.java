package io.ballast.dataplane.ratelimit;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A fixed-size, lock-free table of token buckets, one per key fingerprint, shared by every event loop.
 *
 * <p>Each bucket is one {@link AtomicLong} holding the GCRA "theoretical arrival time" (the token bucket written as
 * the time at which it will be full again, ITU-T I.371): a request is admitted when, after adding its emission
 * interval, that time is at most {@code tolerance} ahead of now; one compare-and-set records it. No lock, and no
 * allocation except a new bucket for a key not seen before.
 *
 * <p>Memory is bounded: at most {@link #capacity()} buckets ever exist. A key is looked for in
 * {@value #PROBES} slots after its hash; a new key takes an empty one, or else replaces the bucket among those
 * slots that is fullest (oldest arrival time). A full bucket is the same as no bucket, so replacing one loses
 * nothing; only when every probed bucket is still refilling does a flood of distinct keys reset someone's bucket
 * (to full, never to empty: an attacker can gain one burst for a key, never deny it). Two threads adding the same
 * new key at the same instant may create two buckets for it; the later-probed one ages out. Thread-safe.
 */
final class TokenBuckets {
    static final int PROBES = 8;

    /** One key's bucket: its fingerprint and its arrival time in nanoseconds. */
    private static final class Bucket extends AtomicLong {
        final long fingerprint;

        Bucket(long fingerprint, long tat) {
            super(tat);
            this.fingerprint = fingerprint;
        }
    }

    private final AtomicReferenceArray<Bucket> slots;
    private final int mask;

    /** @param capacity the most keys held at once, rounded up to a power of two */
    TokenBuckets(int capacity) {
        int size = Integer.highestOneBit(Math.max(PROBES, capacity - 1)) << 1;
        this.slots = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
    }

    int capacity() {
        return slots.length();
    }

    /**
     * Takes one token from the bucket of {@code fingerprint}.
     *
     * @param now       nanoseconds on a monotonic clock, positive
     * @param interval  nanoseconds per token (1 / rate)
     * @param tolerance nanoseconds of credit a full bucket holds (burst × interval)
     * @return 0 when admitted, else the nanoseconds until a request of this key would be
     */
    long take(long fingerprint, long now, long interval, long tolerance) {
        Bucket bucket = find(fingerprint, now);
        while (true) {
            long tat = bucket.get();
            long next = Math.max(tat, now) + interval;
            long excess = next - now - tolerance;
            if (excess > 0) {
                return excess;
            }
            if (bucket.compareAndSet(tat, next)) {
                return 0;
            }
        }
    }

    /** How many buckets exist now (for tests and {@code /status}). */
    int size() {
        int n = 0;
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) != null) {
                n++;
            }
        }
        return n;
    }

    private Bucket find(long fingerprint, long now) {
        int home = (int) (fingerprint ^ (fingerprint >>> 32)) & mask;
        while (true) {
            int empty = -1;
            int victim = -1;
            long victimTat = Long.MAX_VALUE;
            for (int p = 0; p < PROBES; p++) {
                int i = (home + p) & mask;
                Bucket b = slots.get(i);
                if (b == null) {
                    if (empty < 0) {
                        empty = i;
                    }
                } else if (b.fingerprint == fingerprint) {
                    return b;
                } else if (b.get() < victimTat) {
                    victimTat = b.get();
                    victim = i;
                }
            }
            // A new key's bucket starts full: its arrival time is now.
            Bucket fresh = new Bucket(fingerprint, now);
            if (empty >= 0) {
                if (slots.compareAndSet(empty, null, fresh)) {
                    return fresh;
                }
            } else {
                Bucket old = slots.get(victim);
                if (old != null && old.get() == victimTat && slots.compareAndSet(victim, old, fresh)) {
                    return fresh;
                }
            }
            // Another thread changed the slot meanwhile: look again (it may have added this very key).
        }
    }
}
