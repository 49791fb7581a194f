package io.ballast.wire.v1;

/**
 * Control plane → data plane: the part of every {@code scope: fleet} rate limit this data plane enforces. The
 * control plane counts the data planes connected to the whole fleet (every control-plane instance, from the
 * database) and gives each the same share, {@code 1 / dataPlanes}; it sends a new share whenever that count
 * changes. A data plane keeps the last share it was given while no control plane is reachable. Older data
 * planes read it as an unknown type and ignore it.
 *
 * @param share      the fraction of each fleet limit to enforce here, above 0 and at most 1
 * @param dataPlanes how many data planes the limit is apportioned across (for logs and {@code /status})
 */
public record RateLimitShare(double share, int dataPlanes) implements WireMessage {
    public RateLimitShare {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be above 0 and at most 1, was " + share);
        }
        if (dataPlanes < 1) {
            throw new IllegalArgumentException("dataPlanes must be at least 1, was " + dataPlanes);
        }
    }

    /** The equal share of one data plane among {@code dataPlanes} connected ones. */
    public static RateLimitShare among(int dataPlanes) {
        int n = Math.max(1, dataPlanes);
        return new RateLimitShare(1.0 / n, n);
    }
}
