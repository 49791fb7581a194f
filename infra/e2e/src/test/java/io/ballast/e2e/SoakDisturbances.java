package io.ballast.e2e;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Which deliberate disturbances (a backend down, a control plane restarting) are under way, so resource samples can
 * say whether they were taken in a quiet moment: none under way and the last one ended at least {@code settle} ago
 * (the data plane has reconnected, the backend is back in rotation, connections to it re-opened). A sample holds the
 * monitor while it runs, so no disturbance begins in the middle of one; {@link #sampleWhenQuiet} also holds new
 * disturbances back until the moment is quiet, for the start and end samples that the verdict compares. Thread-safe.
 */
final class SoakDisturbances {
    private final long settleNanos;
    private int underWay;
    private boolean held;
    private long lastEndedNanos = Long.MIN_VALUE;

    SoakDisturbances(Duration settle) {
        this.settleNanos = settle.toNanos();
    }

    /** Marks a disturbance as begun; waits while a quiet sample is being waited for. */
    synchronized void begin() throws InterruptedException {
        while (held) {
            wait();
        }
        underWay++;
    }

    synchronized void end() {
        underWay--;
        lastEndedNanos = System.nanoTime();
        notifyAll();
    }

    synchronized boolean quiet() {
        return underWay == 0 && (lastEndedNanos == Long.MIN_VALUE || System.nanoTime() - lastEndedNanos >= settleNanos);
    }

    /** Runs {@code sample} while no disturbance can begin; it is told whether the moment was quiet. */
    synchronized <T> T sample(Function<Boolean, T> sample) {
        return sample.apply(quiet());
    }

    /**
     * Lets no new disturbance begin, waits (at most {@code bound}) until those under way have ended and settled, takes
     * {@code sample}, then lets disturbances go on; null when the moment never came.
     */
    synchronized <T> T sampleWhenQuiet(Duration bound, Supplier<T> sample) throws InterruptedException {
        held = true;
        try {
            long deadline = System.nanoTime() + bound.toNanos();
            while (!quiet()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                // Woken by end(); the settle time after it passes without a notification, so wake up to look again.
                wait(Math.max(1, Math.min(left / 1_000_000, 200)));
            }
            return sample.get();
        } finally {
            held = false;
            notifyAll();
        }
    }
}
