package io.ballast.dataplane.ratelimit;

import io.ballast.wire.v1.RateLimitShare;

/**
 * The fraction of every {@code scope: fleet} rate limit this data plane enforces, as the control plane last said
 * ({@link RateLimitShare}). Kept through reconnects and control-plane outages (a data plane without a control
 * plane keeps enforcing its last share). Before any share arrives it is 1, the whole limit: a node that never
 * reached a control plane does not know how many peers it has, and refusing more than the route allows would be
 * worse than a fleet briefly admitting up to N times the limit. Thread-safe: one volatile read per check.
 */
public final class FleetShare {
    private volatile RateLimitShare current;

    /** The share in force: the last one received, or the whole limit before any. */
    public double fraction() {
        RateLimitShare s = current;
        return s == null ? 1.0 : s.share();
    }

    /** The last share received, or null before any. */
    public RateLimitShare last() {
        return current;
    }

    public void set(RateLimitShare share) {
        current = share;
    }
}
