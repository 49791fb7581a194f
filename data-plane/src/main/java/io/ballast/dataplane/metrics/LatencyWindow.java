package io.ballast.dataplane.metrics;

import io.ballast.wire.v1.Heartbeat;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns ever-growing latency histograms into the p50 and p99 of what finished since the previous sample, for
 * heartbeats: the control plane charts them and rollout gates compare them between data planes, so they must
 * describe the last few seconds, not the process's whole life. Percentiles are read off the bucket counts,
 * linear inside a bucket (what Prometheus' {@code histogram_quantile} does); a rank past the last bound is
 * given as the last bound. Not thread-safe: one caller (the heartbeat timer) samples it.
 */
final class LatencyWindow {
    /** Per key: the bucket counts (the last one holds everything over the last bound) of the previous sample. */
    private final Map<String, long[]> previous = new HashMap<>();

    /**
     * @param bounds upper bounds of the buckets, seconds, ascending
     * @param counts non-cumulative counts per bucket now, plus one more: the count over the last bound
     * @return the percentiles since the previous sample of {@code key}; empty when nothing finished since
     */
    Optional<Heartbeat.Latency> sample(String key, double[] bounds, long[] counts) {
        long[] before = previous.put(key, counts.clone());
        long[] delta = new long[counts.length];
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            // The adders are read one by one, and a restarted histogram (a new backend object) counts from zero.
            long d = before == null || before.length != counts.length || counts[i] < before[i] ? counts[i] : counts[i] - before[i];
            delta[i] = Math.max(0, d);
            total += delta[i];
        }
        if (total == 0) {
            return Optional.empty();
        }
        return Optional.of(new Heartbeat.Latency(total, millis(percentile(bounds, delta, total, 0.50)),
                millis(percentile(bounds, delta, total, 0.99))));
    }

    /** Forgets keys no longer sampled (a removed backend), so the map does not grow with config churn. */
    void retain(Set<String> keys) {
        previous.keySet().retainAll(keys);
    }

    static double percentile(double[] bounds, long[] counts, long total, double q) {
        double rank = q * total;
        long seen = 0;
        for (int i = 0; i < bounds.length; i++) {
            if (counts[i] > 0 && seen + counts[i] >= rank) {
                double lower = i == 0 ? 0 : bounds[i - 1];
                return lower + (bounds[i] - lower) * Math.max(0, rank - seen) / counts[i];
            }
            seen += counts[i];
        }
        return bounds[bounds.length - 1];
    }

    private static double millis(double seconds) {
        return Math.round(seconds * 1_000_000) / 1_000.0;
    }
}
