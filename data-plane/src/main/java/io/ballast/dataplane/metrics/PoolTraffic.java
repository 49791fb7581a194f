package io.ballast.dataplane.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * Request counters of one pool: responses by status class, a latency histogram and bytes each way. Pools are
 * few and named by the operator, so the labels stay low-cardinality. Thread-safe.
 */
final class PoolTraffic {
    /** Upper bounds in seconds, Prometheus' defaults widened at the low end for a proxy's sub-millisecond answers. */
    static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    final LongAdder[] byClass = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
    final LongAdder[] buckets = new LongAdder[BUCKETS.length];
    final LongAdder count = new LongAdder();
    final LongAdder sumMicros = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();

    PoolTraffic() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void record(int status, long durationNanos, long in, long out) {
        int cls = status / 100;
        if (cls >= 1 && cls <= 5) {
            byClass[cls - 1].increment();
        }
        double seconds = durationNanos / 1e9;
        // Non-cumulative here; the exposition adds them up, so a request bumps one adder, not up to fifteen.
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                buckets[i].increment();
                break;
            }
        }
        count.increment();
        sumMicros.add(durationNanos / 1000);
        bytesIn.add(in);
        bytesOut.add(out);
    }

    /** Non-cumulative counts of every bucket, then the count over the last bound (for heartbeat percentiles). */
    long[] bucketCounts() {
        long[] counts = new long[BUCKETS.length + 1];
        long inBuckets = 0;
        for (int i = 0; i < BUCKETS.length; i++) {
            counts[i] = buckets[i].sum();
            inBuckets += counts[i];
        }
        counts[BUCKETS.length] = Math.max(0, count.sum() - inBuckets);
        return counts;
    }
}
