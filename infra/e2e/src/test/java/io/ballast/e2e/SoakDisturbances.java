package io.ballast.e2e;

/**
 * Which deliberate disturbances (a backend down, a control plane restarting) are under way, so resource samples can
 * say whether they were taken in a quiet moment: none under way and the last one ended at least {@code settle} ago
 * (the data plane has reconnected, the backend is back in rotation, connections to it re-opened). A sample holds the
 * monitor while it runs, so no disturbance begins in the middle of one. Thread-safe.
 */
final class SoakDisturbances {
    private final long settleNanos;
    private int underWay;
    private long lastEndedNanos = Long.MIN_VALUE;

    SoakDisturbances(java.time.Duration settle) {
        this.settleNanos = settle.toNanos();
    }

    synchronized void begin() {
        underWay++;
    }

    synchronized void end() {
        underWay--;
        lastEndedNanos = System.nanoTime();
    }

    synchronized boolean quiet() {
        return underWay == 0 && (lastEndedNanos == Long.MIN_VALUE || System.nanoTime() - lastEndedNanos >= settleNanos);
    }

    /** Runs {@code sample} while no disturbance can begin; it is told whether the moment was quiet. */
    synchronized <T> T sample(java.util.function.Function<Boolean, T> sample) {
        return sample.apply(quiet());
    }
}
