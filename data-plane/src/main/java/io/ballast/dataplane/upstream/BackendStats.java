package io.ballast.dataplane.upstream;

import java.util.concurrent.atomic.LongAdder;

/**
 * Live-traffic numbers of one backend address for {@code /metrics}: answers by status class, a latency
 * histogram, and the count of its reported state changes. {@link LongAdder}s, because every event loop
 * bumps them on every request. Thread-safe.
 */
public final class BackendStats {
    /**
     * Upper bounds of the latency histogram in seconds: Prometheus' defaults widened at the low end, because a
     * backend next to the proxy answers in well under 5 ms and heartbeats derive p50/p99 from these buckets.
     */
    public static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final LongAdder[] byClass = adders(5);
    private final LongAdder gatewayFailures = new LongAdder();
    private final LongAdder[] buckets = adders(BUCKETS.length);
    private final LongAdder count = new LongAdder();
    private final LongAdder sumMicros = new LongAdder();
    private final LongAdder transitions = new LongAdder();

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** The backend answered {@code status} after {@code nanos} (request sent to response head). */
    public void answered(int status, long nanos) {
        int cls = status / 100;
        if (cls >= 1 && cls <= 5) {
            byClass[cls - 1].increment();
        }
        double seconds = nanos / 1e9;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                buckets[i].increment();
                break;
            }
        }
        count.increment();
        sumMicros.add(nanos / 1000);
    }

    /** An attempt got no answer (refused, reset, timed out). */
    public void failed() {
        gatewayFailures.increment();
    }

    public void transitioned() {
        transitions.increment();
    }

    /** Answers of class {@code cls} (1–5). */
    public long answers(int cls) {
        return byClass[cls - 1].sum();
    }

    public long gatewayFailures() {
        return gatewayFailures.sum();
    }

    /** Non-cumulative count of bucket {@code i}; the caller sums them for Prometheus' {@code le} series. */
    public long bucket(int i) {
        return buckets[i].sum();
    }

    public long count() {
        return count.sum();
    }

    /** Non-cumulative counts of every bucket, then the count over the last bound (for heartbeat percentiles). */
    public long[] bucketCounts() {
        long[] counts = new long[BUCKETS.length + 1];
        long inBuckets = 0;
        for (int i = 0; i < BUCKETS.length; i++) {
            counts[i] = buckets[i].sum();
            inBuckets += counts[i];
        }
        counts[BUCKETS.length] = Math.max(0, count.sum() - inBuckets);
        return counts;
    }

    public double sumSeconds() {
        return sumMicros.sum() / 1e6;
    }

    public long transitions() {
        return transitions.sum();
    }
}
