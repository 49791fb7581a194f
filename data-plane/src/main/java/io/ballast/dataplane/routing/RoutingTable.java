package io.ballast.dataplane.routing;

import io.ballast.dataplane.ratelimit.FleetShare;
import io.ballast.dataplane.ratelimit.RateLimits;
import io.ballast.dataplane.ratelimit.RouteRateLimiter;
import io.ballast.dataplane.upstream.LiveBackends;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.WeightedPool;
import io.ballast.dataplane.lb.RandomSource;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes and pools of one snapshot, indexed for matching when the snapshot is applied. Matching follows
 * API.md: routes for the exact host first (one hash lookup, so routes of other hosts cost nothing), then
 * wildcard hosts ({@code *.example.com}, longer suffix first, one lookup per label of the host), then {@code *}; within a host key
 * {@link HostRoutes} orders exact paths, then the longest prefix, then regexes, then more conditions, then
 * priority, then the name (so the answer never depends on input order). A host key with no matching route
 * falls through to the next. Prefixes match as plain string prefixes, as in Envoy and Traefik; regexes and
 * conditions are compiled here, never per request. Immutable and thread-safe.
 */
public final class RoutingTable {
    private final Map<String, HostRoutes> exact;
    /** Wildcard suffixes such as {@code .example.com}, each with its routes. */
    private final Map<String, HostRoutes> wildcards;
    private final HostRoutes any;
    private final Map<String, UpstreamPool> pools;
    private final List<RouteRateLimiter> rateLimiters;

    private RoutingTable(Map<String, HostRoutes> exact, Map<String, HostRoutes> wildcards, HostRoutes any,
                         Map<String, UpstreamPool> pools, List<RouteRateLimiter> rateLimiters) {
        this.rateLimiters = rateLimiters;
        this.exact = exact;
        this.wildcards = wildcards;
        this.any = any;
        this.pools = pools;
    }

    /**
     * Builds the table of a valid snapshot. CPU only (no I/O), but proportional to the snapshot's size, so
     * callers run it off the event loop.
     */
    public static RoutingTable build(ConfigSnapshot snapshot, LiveBackends live) {
        return build(snapshot, live, new RateLimits(new FleetShare()));
    }

    /** As {@link #build(ConfigSnapshot, LiveBackends)}, with the routes' rate limiters taken from (and kept in) {@code limits}. */
    public static RoutingTable build(ConfigSnapshot snapshot, LiveBackends live, RateLimits limits) {
        List<RouteRateLimiter> limiters = new ArrayList<>();
        Map<String, UpstreamPool> pools = new LinkedHashMap<>();
        for (Pool pool : snapshot.pools()) {
            pools.put(pool.name(), UpstreamPool.build(pool, live));
        }
        Map<String, List<RouteEntry>> exact = new HashMap<>();
        Map<String, List<RouteEntry>> wild = new HashMap<>();
        List<RouteEntry> any = new ArrayList<>();
        for (Route route : snapshot.routes()) {
            RouteRateLimiter limiter = limits.forRoute(route);
            if (limiter != null) {
                limiters.add(limiter);
            }
            RouteEntry entry = new RouteEntry(route, route.pool() == null ? null : pools.get(route.pool()), split(route, pools),
                    route.mirror() == null ? null
                            : MirrorTarget.of(route.mirror(), pools.get(route.mirror().pool()), RandomSource.threadLocal()),
                    limiter);
            for (String host : route.hosts()) {
                if (host.equals("*")) {
                    any.add(entry);
                } else if (host.startsWith("*.")) {
                    wild.computeIfAbsent(host.substring(1), k -> new ArrayList<>()).add(entry);
                } else {
                    exact.computeIfAbsent(Hosts.normalize(host), k -> new ArrayList<>()).add(entry);
                }
            }
        }
        Map<String, HostRoutes> exactRoutes = new HashMap<>();
        exact.forEach((host, entries) -> exactRoutes.put(host, HostRoutes.of(entries)));
        Map<String, HostRoutes> wildRoutes = new HashMap<>();
        wild.forEach((suffix, entries) -> wildRoutes.put(suffix, HostRoutes.of(entries)));
        return new RoutingTable(Map.copyOf(exactRoutes), Map.copyOf(wildRoutes), any.isEmpty() ? null : HostRoutes.of(any),
                Map.copyOf(pools), List.copyOf(limiters));
    }

    private static WeightedSplit split(Route route, Map<String, UpstreamPool> pools) {
        if (route.pools() == null) {
            return null;
        }
        return new WeightedSplit(route.pools().stream().map(p -> pools.get(p.pool())).toList(),
                route.pools().stream().map(WeightedPool::weight).toList(), RandomSource.threadLocal());
    }

    /** As {@link #match(String, String, HttpRequest)} without a request head: routes with conditions never match. */
    public RouteMatch match(String host, String path) {
        return match(host, path, null);
    }

    /**
     * The route for a request, or null when none matches.
     *
     * @param host    the normalised host ({@link Hosts#normalize})
     * @param path    the request path, without the query
     * @param request the request head, for method, header and query conditions
     */
    public RouteMatch match(String host, String path, HttpRequest request) {
        String p = path == null || path.isEmpty() ? "/" : path;
        HostRoutes exactRoutes = exact.get(host);
        if (exactRoutes != null) {
            RouteMatch m = exactRoutes.match(p, request);
            if (m != null) {
                return m;
            }
        }
        if (!wildcards.isEmpty()) {
            // The host's own suffixes, longest first: one lookup per label, however many wildcard routes exist.
            // "*.example.com" covers a.example.com and a.b.example.com, not example.com itself (hence from index 1).
            for (int dot = host.indexOf('.', 1); dot > 0; dot = host.indexOf('.', dot + 1)) {
                HostRoutes w = wildcards.get(host.substring(dot));
                if (w != null) {
                    RouteMatch m = w.match(p, request);
                    if (m != null) {
                        return m;
                    }
                }
            }
        }
        return any == null ? null : any.match(p, request);
    }

    public UpstreamPool pool(String name) {
        return pools.get(name);
    }

    public Collection<UpstreamPool> pools() {
        return pools.values();
    }

    /** The rate limiters of the table's routes (for metrics and status). */
    public List<RouteRateLimiter> rateLimiters() {
        return rateLimiters;
    }
}
