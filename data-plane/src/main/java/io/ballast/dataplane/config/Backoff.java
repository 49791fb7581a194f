package io.ballast.dataplane.config;

import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: exponential from {@code initial} to {@code max}, each with "equal jitter" (half fixed,
 * half random) so a fleet that lost its control plane at the same instant does not reconnect in lockstep.
 * Not thread-safe; owned by the control-plane client.
 */
public final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private final DoubleSupplier random;
    private long ceiling;

    public Backoff(long initialMillis, long maxMillis, DoubleSupplier random) {
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
        this.random = random;
        this.ceiling = initialMillis;
    }

    /** The delay before the next attempt; each call doubles the ceiling up to the maximum. */
    public long nextDelayMillis() {
        long current = ceiling;
        ceiling = Math.min(maxMillis, ceiling * 2);
        return current / 2 + (long) (random.getAsDouble() * (current / 2.0));
    }

    /** After a successful connection, start from the initial delay again. */
    public void reset() {
        ceiling = initialMillis;
    }
}
