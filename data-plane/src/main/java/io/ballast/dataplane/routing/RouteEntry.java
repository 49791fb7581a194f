package io.ballast.dataplane.routing;

import io.ballast.dataplane.ratelimit.RouteRateLimiter;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.ballast.model.Route;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * One route of a routing table with what matching it needs, prepared once: its pool, its compiled path regex,
 * its compiled conditions and its mirror target. Immutable and thread-safe.
 */
final class RouteEntry {
    /** Among routes of one path kind: more conditions first, then higher priority, then the name (stable order). */
    static final Comparator<RouteEntry> BY_CONDITIONS = Comparator
            .comparingInt((RouteEntry e) -> e.route.conditions()).reversed()
            .thenComparing(Comparator.comparingInt((RouteEntry e) -> e.route.priority()).reversed())
            .thenComparing(e -> e.route.name());
    /** Prefix routes: the longest prefix first, then as {@link #BY_CONDITIONS}. */
    static final Comparator<RouteEntry> LONGEST_PREFIX = Comparator
            .comparingInt((RouteEntry e) -> e.route.pathPrefix().length()).reversed()
            .thenComparing(BY_CONDITIONS);

    final Route route;
    final UpstreamPool pool;
    final Pattern pathRegex;
    private final RequestConditions conditions;
    private final ActionPlan actions;
    final WeightedSplit split;
    private final MirrorTarget mirror;
    final RouteRateLimiter rateLimiter;

    RouteEntry(Route route, UpstreamPool pool, WeightedSplit split) {
        this(route, pool, split, null, null);
    }

    RouteEntry(Route route, UpstreamPool pool, WeightedSplit split, MirrorTarget mirror, RouteRateLimiter rateLimiter) {
        this.route = route;
        this.rateLimiter = rateLimiter;
        this.pool = pool;
        this.split = split;
        this.mirror = mirror;
        this.pathRegex = route.pathRegex() == null ? null : Pattern.compile(route.pathRegex());
        this.conditions = RequestConditions.of(route.match());
        this.actions = ActionPlan.of(route);
    }

    /** Whether the request meets the route's conditions (the path was matched already). */
    boolean accepts(HttpRequest request) {
        return conditions == null || conditions.test(request);
    }

    RouteMatch matched(String path) {
        String prefix = route.pathPrefix();
        String target = prefix != null && route.stripPrefix() ? strip(path, prefix) : path;
        if (actions != null && actions.rewritesPath()) {
            target = actions.rewritePath(path, target);
        }
        return new RouteMatch(route, pool, target, actions, split, mirror, rateLimiter);
    }

    private static String strip(String path, String prefix) {
        String rest = path.substring(prefix.endsWith("/") ? prefix.length() - 1 : prefix.length());
        return rest.startsWith("/") ? rest : "/" + rest;
    }
}
