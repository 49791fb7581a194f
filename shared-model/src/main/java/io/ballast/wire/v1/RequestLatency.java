package io.ballast.wire.v1;

import java.util.List;

/**
 * A data plane's request durations since it started, as a histogram (every pool together): the
 * number of requests that took at most {@code boundsMillis[i]} (and more than the bound before it),
 * with one last count for everything slower. Counts only grow, so the control plane takes the
 * difference of two heartbeats to get the histogram of the time between them. Immutable.
 *
 * @param boundsMillis upper bounds in milliseconds, increasing
 * @param counts       {@code boundsMillis.size() + 1} counts; the last is above the last bound
 */
public record RequestLatency(List<Double> boundsMillis, List<Long> counts) {
    public RequestLatency {
        boundsMillis = boundsMillis == null ? List.of() : List.copyOf(boundsMillis);
        counts = counts == null ? List.of() : List.copyOf(counts);
        if (counts.size() != boundsMillis.size() + 1) {
            throw new IllegalArgumentException("counts must have one entry per bound and one above the last");
        }
    }

    /** The requests counted. */
    public long total() {
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        return sum;
    }

    /**
     * What was counted after {@code earlier} (a histogram of the same bounds); the whole of this one
     * when the bounds differ or the total went back (the data plane restarted). A single bucket that
     * dipped (a request read mid-update) counts as zero.
     */
    public RequestLatency minus(RequestLatency earlier) {
        if (earlier == null || !earlier.boundsMillis.equals(boundsMillis) || earlier.total() > total()) {
            return this;
        }
        Long[] diff = new Long[counts.size()];
        for (int i = 0; i < diff.length; i++) {
            diff[i] = Math.max(0, counts.get(i) - earlier.counts.get(i));
        }
        return new RequestLatency(boundsMillis, List.of(diff));
    }

    /** This histogram plus {@code other} (same bounds; a different one is ignored). */
    public RequestLatency plus(RequestLatency other) {
        if (other == null || !other.boundsMillis.equals(boundsMillis)) {
            return this;
        }
        Long[] sum = new Long[counts.size()];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = counts.get(i) + other.counts.get(i);
        }
        return new RequestLatency(boundsMillis, List.of(sum));
    }

    /**
     * The {@code q} quantile (0 &lt; q ≤ 1) in milliseconds, interpolated linearly inside its bucket
     * as Prometheus' {@code histogram_quantile} does; the last bound when it falls above it; null
     * when nothing was counted.
     */
    public Double quantileMillis(double q) {
        long total = total();
        if (total == 0 || boundsMillis.isEmpty()) {
            return null;
        }
        double rank = q * total;
        long below = 0;
        for (int i = 0; i < boundsMillis.size(); i++) {
            long c = counts.get(i);
            if (below + c >= rank && c > 0) {
                double lower = i == 0 ? 0 : boundsMillis.get(i - 1);
                double upper = boundsMillis.get(i);
                return lower + (upper - lower) * (rank - below) / c;
            }
            below += c;
        }
        return boundsMillis.get(boundsMillis.size() - 1);
    }
}
