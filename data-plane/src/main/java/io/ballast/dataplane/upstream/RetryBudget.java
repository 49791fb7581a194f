package io.ballast.dataplane.upstream;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Caps retries at a share of a pool's requests (Envoy's and Finagle's retry budget), so a backend outage
 * cannot double the load on the survivors. Counted over the current and the previous ten-second window;
 * a few retries are always allowed so a quiet pool can still retry. Thread-safe; a window rollover racing
 * with a count may misplace that one count, which only blurs the limit a little.
 */
public final class RetryBudget {
    static final long WINDOW_MILLIS = 10_000;
    /** Retries a window always allows, whatever the traffic. */
    public static final long MIN_RETRIES = 10;

    private final int percent;
    private final LongSupplier clock;
    private final AtomicLong windowStart;
    private volatile Window current = new Window();
    private volatile Window previous = new Window();

    private static final class Window {
        final LongAdder requests = new LongAdder();
        final LongAdder retries = new LongAdder();
    }

    RetryBudget(int percent, LongSupplier clock) {
        this.percent = percent;
        this.clock = clock;
        this.windowStart = new AtomicLong(clock.getAsLong());
    }

    /** A first attempt of a request. */
    public void requested() {
        window().requests.increment();
    }

    /** Takes one retry from the budget; false when it is spent. */
    public boolean tryRetry() {
        Window now = window();
        Window before = previous;
        long requests = now.requests.sum() + before.requests.sum();
        long retries = now.retries.sum() + before.retries.sum();
        if (retries >= Math.max(MIN_RETRIES, requests * percent / 100)) {
            return false;
        }
        now.retries.increment();
        return true;
    }

    private Window window() {
        long now = clock.getAsLong();
        long start = windowStart.get();
        if (now - start >= WINDOW_MILLIS && windowStart.compareAndSet(start, now)) {
            // Two windows or more idle: the previous one is empty too.
            previous = now - start >= 2 * WINDOW_MILLIS ? new Window() : current;
            current = new Window();
        }
        return current;
    }
}
