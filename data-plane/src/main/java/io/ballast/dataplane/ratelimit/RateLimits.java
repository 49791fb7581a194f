package io.ballast.dataplane.ratelimit;

import io.ballast.model.Route;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The rate limiters of every route, kept across snapshots: a route whose {@code rateLimit} did not change keeps
 * its limiter, so a config push (of any change elsewhere) never refills every client's bucket. Counters of refused
 * requests are kept per route name, also when its limit changes. Built and pruned by the snapshot applier, one
 * snapshot at a time; read by every event loop. Thread-safe.
 */
public final class RateLimits {
    private final FleetShare share;
    private final LongSupplier nanoClock;
    private final int maxKeys;
    private final Map<String, RouteRateLimiter> byRoute = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> limited = new ConcurrentHashMap<>();

    public RateLimits(FleetShare share) {
        this(share, System::nanoTime, RouteRateLimiter.MAX_KEYS);
    }

    /** @param maxKeys the most keys one route tracks (tests use a small table) */
    public RateLimits(FleetShare share, LongSupplier nanoClock, int maxKeys) {
        this.share = share;
        this.nanoClock = nanoClock;
        this.maxKeys = maxKeys;
    }

    /** The limiter of {@code route}: the one it had when its limit is unchanged, else a new one; null without a limit. */
    public RouteRateLimiter forRoute(Route route) {
        if (route.rateLimit() == null) {
            return null;
        }
        return byRoute.compute(route.name(), (name, old) -> old != null && old.config().equals(route.rateLimit()) ? old
                : new RouteRateLimiter(name, route.rateLimit(), share, nanoClock, maxKeys,
                        limited.computeIfAbsent(name, n -> new LongAdder())));
    }

    /** Forgets the limiters of routes that are gone or no longer limited (their counters too). */
    public void retainOnly(Set<String> limitedRoutes) {
        byRoute.keySet().retainAll(limitedRoutes);
        limited.keySet().retainAll(limitedRoutes);
    }

    public FleetShare share() {
        return share;
    }
}
