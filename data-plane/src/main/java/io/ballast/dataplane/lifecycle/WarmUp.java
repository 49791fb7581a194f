package io.ballast.dataplane.lifecycle;

import io.ballast.dataplane.health.HealthState;
import io.ballast.dataplane.routing.ActiveConfig;
import io.ballast.dataplane.upstream.Member;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Holds the proxy's listen back, at start, until every pool of the config loaded from the cache can serve: it has a
 * healthy backend, or every backend has had its first verdict. Why: with SO_REUSEPORT the kernel hands a new process
 * its share of connections the moment it listens, so a process started to take over from a draining one must not
 * listen while its backends are still {@link HealthState#INITIAL} (it would answer 503 "no healthy backend"). Bounded:
 * a pool whose backends never answer does not keep the node from listening. Checks every 50 ms, off the request path.
 */
public final class WarmUp {
    private static final long CHECK_MILLIS = 50;

    private WarmUp() {
    }

    /** Completes when every pool can serve, when no config is loaded, or after {@code bound}. */
    public static Future<Void> untilPoolsCanServe(Vertx vertx, Supplier<ActiveConfig> config, Duration bound) {
        Promise<Void> done = Promise.promise();
        long deadline = System.nanoTime() + bound.toNanos();
        if (canServe(config.get())) {
            return Future.succeededFuture();
        }
        vertx.setPeriodic(CHECK_MILLIS, id -> {
            if (canServe(config.get()) || System.nanoTime() - deadline > 0) {
                vertx.cancelTimer(id);
                done.tryComplete();
            }
        });
        return done.future();
    }

    static boolean canServe(ActiveConfig active) {
        if (active == null) {
            return true;
        }
        for (UpstreamPool pool : active.table().pools()) {
            boolean healthy = false;
            boolean waiting = false;
            for (Member m : pool.members()) {
                HealthState state = m.live().health().state();
                healthy |= state == HealthState.HEALTHY;
                waiting |= state == HealthState.INITIAL;
            }
            if (!healthy && waiting) {
                return false;
            }
        }
        return true;
    }
}
