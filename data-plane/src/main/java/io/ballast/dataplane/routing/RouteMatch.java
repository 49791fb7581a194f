package io.ballast.dataplane.routing;

import io.ballast.dataplane.ratelimit.RouteRateLimiter;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.ballast.model.Route;

/**
 * The route chosen for a request. Immutable.
 *
 * @param route   the matching route
 * @param pool    its pool in the same routing table
 * @param path    the path to send to the backend (without the prefix when the route strips it, rewritten when
 *                the route rewrites it)
 * @param actions what the route does besides forwarding, or null when it only forwards
 * @param split   the route's weighted split across pools, or null; then {@code pool} is null until
 *                {@link #withPool} names the pool chosen for the request
 * @param mirror  where copies of the route's requests go, or null when it mirrors nothing
 * @param rateLimiter the route's rate limit, or null when it has none
 */
public record RouteMatch(Route route, UpstreamPool pool, String path, ActionPlan actions, WeightedSplit split, MirrorTarget mirror,
                         RouteRateLimiter rateLimiter) {
    /** A match of a route that mirrors nothing and has no rate limit. */
    public RouteMatch(Route route, UpstreamPool pool, String path, ActionPlan actions, WeightedSplit split) {
        this(route, pool, path, actions, split, null, null);
    }

    public RouteMatch withPool(UpstreamPool chosen) {
        return new RouteMatch(route, chosen, path, actions, split, mirror, rateLimiter);
    }
}
