package io.ballast.dataplane.routing;

import io.ballast.dataplane.lb.RandomSource;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.ballast.model.Mirror;

/**
 * A route's {@code mirror}, resolved when the routing table is built: the pool in the same table that receives the
 * copies, the share of requests copied and the largest body copied. A route without {@code mirror} has none (null),
 * so its requests do no mirroring work at all. Immutable; thread-safe when its random source is (the production
 * one is).
 */
public final class MirrorTarget {
    private final UpstreamPool pool;
    private final int percent;
    private final int maxBody;
    private final RandomSource random;

    MirrorTarget(UpstreamPool pool, int percent, int maxBody, RandomSource random) {
        this.pool = pool;
        this.percent = percent;
        this.maxBody = maxBody;
        this.random = random;
    }

    /** The target of a valid route's mirror, or null when the route has none or copies no request. */
    static MirrorTarget of(Mirror mirror, UpstreamPool pool, RandomSource random) {
        if (mirror == null || mirror.percent() == 0 || pool == null) {
            return null;
        }
        return new MirrorTarget(pool, mirror.percent(), mirror.maxBody(), random);
    }

    public UpstreamPool pool() {
        return pool;
    }

    /** The largest request body copied, in bytes; a longer one is not mirrored. */
    public int maxBody() {
        return maxBody;
    }

    /** Whether this request is one of the {@code percent} copied: a draw per request, none at 100. */
    public boolean selects() {
        return percent >= 100 || random.nextInt(100) < percent;
    }
}
