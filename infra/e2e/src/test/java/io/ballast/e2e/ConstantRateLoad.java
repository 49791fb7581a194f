package io.ballast.e2e;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * GETs through a proxy on a fixed number of kept-alive connections, one thread each, either as fast as they
 * answer ({@link #measureMaximum}, closed loop) or at a constant total rate ({@link #start}: each connection
 * sends on its own schedule, connections / rate apart, staggered; a late request is sent at once, so a stall
 * is caught up rather than silently lowering the rate). A request fails when it gets anything but a 200 from one
 * of the expected backends, or breaks; every failure is kept with its time for the report.
 * Thread-safe: counters are atomic and the failure list is synchronized.
 */
final class ConstantRateLoad implements AutoCloseable {
    /** Latency histogram resolution: one bucket per millisecond up to 10 s, the last one for anything longer. */
    private static final int BUCKETS = 10_001;
    private static final int TIMEOUT_MILLIS = 10_000;

    private final String host;
    private final int port;
    private final Set<String> expectedBodies;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLongArray latencyMillis = new AtomicLongArray(BUCKETS);
    private final List<String> failures = new ArrayList<>();
    private final long startedNanos = System.nanoTime();
    private volatile boolean stopped;
    private volatile long stoppedNanos;

    private ConstantRateLoad(String host, int port, Set<String> expectedBodies) {
        this.host = host;
        this.port = port;
        this.expectedBodies = Set.copyOf(expectedBodies);
    }

    /** Requests per second that {@code connections} closed-loop connections get through in {@code seconds} (after one second unrecorded). */
    static double measureMaximum(String host, int port, Set<String> expectedBodies, int connections, int seconds) throws InterruptedException {
        ConstantRateLoad load = new ConstantRateLoad(host, port, expectedBodies);
        long recordFrom = System.nanoTime() + 1_000_000_000L;
        long end = recordFrom + seconds * 1_000_000_000L;
        AtomicLong recorded = new AtomicLong();
        for (int i = 0; i < connections; i++) {
            load.spawn("soak-max-" + i, connection -> {
                while (System.nanoTime() < end) {
                    if (load.once(connection) && System.nanoTime() >= recordFrom) {
                        recorded.incrementAndGet();
                    }
                }
            });
        }
        load.close();
        if (load.failed.get() > 0) {
            throw new AssertionError("the closed-loop run to measure the maximum had failures: " + load.failures());
        }
        return recorded.get() / (double) seconds;
    }

    /** Starts sending {@code rate} requests per second in total over {@code connections} connections. */
    static ConstantRateLoad start(String host, int port, Set<String> expectedBodies, double rate, int connections) {
        ConstantRateLoad load = new ConstantRateLoad(host, port, expectedBodies);
        long interval = (long) (connections * 1e9 / rate);
        long first = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            long offset = interval * i / connections;
            load.spawn("soak-load-" + i, connection -> {
                long next = first + offset;
                while (!load.stopped) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        sleepNanos(wait);
                        continue;
                    }
                    load.once(connection);
                    next += interval;
                }
            });
        }
        return load;
    }

    private interface Loop {
        void run(RawHttpConnection connection);
    }

    private void spawn(String name, Loop loop) {
        Thread t = new Thread(() -> {
            try (RawHttpConnection connection = new RawHttpConnection(host, port, TIMEOUT_MILLIS)) {
                loop.run(connection);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        threads.add(t);
    }

    /** One request; true when it succeeded. */
    private boolean once(RawHttpConnection connection) {
        long sent = System.nanoTime();
        try {
            RawHttpConnection.Answer answer = connection.get("/soak", "soak.test");
            if (answer.status() == 200 && expectedBodies.contains(answer.body())) {
                long millis = (System.nanoTime() - sent) / 1_000_000;
                latencyMillis.incrementAndGet((int) Math.min(millis, BUCKETS - 1));
                ok.incrementAndGet();
                return true;
            }
            fail(answer.status() + " " + abbreviate(answer.body()));
        } catch (IOException | RuntimeException e) {
            fail(e.toString());
        }
        return false;
    }

    private void fail(String what) {
        failed.incrementAndGet();
        synchronized (failures) {
            // Enough to read what went wrong; the count stays exact however many there are.
            if (failures.size() < 100) {
                failures.add(String.format("t=%.1fs %s", (System.nanoTime() - startedNanos) / 1e9, what));
            }
        }
    }

    long succeeded() {
        return ok.get();
    }

    long failed() {
        return failed.get();
    }

    /** The first 100 failures, each with its time since the load started. */
    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /** The latency (from the actual send) at {@code quantile} of the successful requests, in milliseconds. */
    long latencyMillisAt(double quantile) {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += latencyMillis.get(i);
        }
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += latencyMillis.get(i);
            if (seen >= rank && seen > 0) {
                return i;
            }
        }
        return 0;
    }

    private static String abbreviate(String body) {
        return body.length() <= 200 ? body : body.substring(0, 200) + "…";
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How long the load ran (so far, or until closed). */
    double elapsedSeconds() {
        long end = stopped ? stoppedNanos : System.nanoTime();
        return (end - startedNanos) / 1e9;
    }

    @Override
    public void close() throws InterruptedException {
        stoppedNanos = System.nanoTime();
        stopped = true;
        for (Thread t : threads) {
            t.join(TIMEOUT_MILLIS + 5_000);
        }
    }
}
