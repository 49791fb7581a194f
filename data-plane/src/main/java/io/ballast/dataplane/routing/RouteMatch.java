package io.ballast.dataplane.routing;

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
 */
public record RouteMatch(Route route, UpstreamPool pool, String path, ActionPlan actions) {
}
