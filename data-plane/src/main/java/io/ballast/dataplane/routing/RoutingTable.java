package io.ballast.dataplane.routing;

import io.ballast.dataplane.upstream.LiveBackends;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes and pools of one snapshot, indexed for matching. Matching follows API.md: routes for the
 * exact host first, then wildcard hosts ({@code *.example.com}, longer suffix first), then {@code *}; within
 * a tier the longest path prefix wins, then the higher priority, then the name (so the answer never depends
 * on input order). A tier with no matching prefix falls through to the next. Prefixes match as plain
 * string prefixes, as in Envoy and Traefik. Immutable and thread-safe.
 */
public final class RoutingTable {
    private static final Comparator<Entry> MOST_SPECIFIC = Comparator
            .comparingInt((Entry e) -> e.route.pathPrefix().length()).reversed()
            .thenComparing(Comparator.comparingInt((Entry e) -> e.route.priority()).reversed())
            .thenComparing(e -> e.route.name());

    private final Map<String, List<Entry>> exact;
    /** Wildcard suffixes such as {@code .example.com}, longest first, each with its routes. */
    private final List<Map.Entry<String, List<Entry>>> wildcards;
    private final List<Entry> any;
    private final Map<String, UpstreamPool> pools;

    private record Entry(Route route, UpstreamPool pool) {
    }

    private RoutingTable(Map<String, List<Entry>> exact, List<Map.Entry<String, List<Entry>>> wildcards, List<Entry> any,
                         Map<String, UpstreamPool> pools) {
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
        Map<String, UpstreamPool> pools = new LinkedHashMap<>();
        for (Pool pool : snapshot.pools()) {
            pools.put(pool.name(), UpstreamPool.build(pool, live));
        }
        Map<String, List<Entry>> exact = new HashMap<>();
        Map<String, List<Entry>> wild = new HashMap<>();
        List<Entry> any = new ArrayList<>();
        for (Route route : snapshot.routes()) {
            Entry entry = new Entry(route, pools.get(route.pool()));
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
        exact.replaceAll((k, v) -> sorted(v));
        List<Map.Entry<String, List<Entry>>> wildcards = new ArrayList<>();
        wild.forEach((suffix, entries) -> wildcards.add(Map.entry(suffix, sorted(entries))));
        wildcards.sort(Comparator.comparingInt((Map.Entry<String, List<Entry>> e) -> e.getKey().length()).reversed()
                .thenComparing(Map.Entry::getKey));
        return new RoutingTable(Map.copyOf(exact), List.copyOf(wildcards), sorted(any), Map.copyOf(pools));
    }

    private static List<Entry> sorted(List<Entry> entries) {
        return entries.stream().sorted(MOST_SPECIFIC).toList();
    }

    /**
     * The route for a request, or null when none matches.
     *
     * @param host the normalised host ({@link Hosts#normalize})
     * @param path the request path, without the query
     */
    public RouteMatch match(String host, String path) {
        String p = path == null || path.isEmpty() ? "/" : path;
        List<Entry> exactEntries = exact.get(host);
        if (exactEntries != null) {
            RouteMatch m = firstPrefix(exactEntries, p);
            if (m != null) {
                return m;
            }
        }
        for (Map.Entry<String, List<Entry>> w : wildcards) {
            // "*.example.com" covers a.example.com and a.b.example.com, not example.com itself.
            if (host.endsWith(w.getKey()) && host.length() > w.getKey().length()) {
                RouteMatch m = firstPrefix(w.getValue(), p);
                if (m != null) {
                    return m;
                }
            }
        }
        return firstPrefix(any, p);
    }

    private static RouteMatch firstPrefix(List<Entry> entries, String path) {
        for (Entry e : entries) {
            String prefix = e.route.pathPrefix();
            if (path.startsWith(prefix)) {
                return new RouteMatch(e.route, e.pool, e.route.stripPrefix() ? strip(path, prefix) : path);
            }
        }
        return null;
    }

    private static String strip(String path, String prefix) {
        String rest = path.substring(prefix.endsWith("/") ? prefix.length() - 1 : prefix.length());
        return rest.startsWith("/") ? rest : "/" + rest;
    }

    public UpstreamPool pool(String name) {
        return pools.get(name);
    }

    public Collection<UpstreamPool> pools() {
        return pools.values();
    }
}
