package io.ballast.dataplane.routing;

import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes of one host key (an exact host, a wildcard suffix, or {@code *}), in API.md's order: exact paths
 * (one hash lookup), then prefixes (longest first; from a few on, through a {@link PrefixIndex}), then regexes; within each, more conditions first, then
 * priority. A route whose path matches but whose conditions do not lets the next one try. Immutable and
 * thread-safe.
 */
final class HostRoutes {
    private static final RouteEntry[] NONE = new RouteEntry[0];

    private final Map<String, RouteEntry[]> exactPaths;
    /** Below this many prefix routes a straight scan is cheaper than hashing the path once per prefix length. */
    private static final int INDEX_FROM = 8;

    private final RouteEntry[] prefixes;
    private final PrefixIndex prefixIndex;
    private final RouteEntry[] regexes;

    private HostRoutes(Map<String, RouteEntry[]> exactPaths, RouteEntry[] prefixes, RouteEntry[] regexes) {
        this.exactPaths = exactPaths;
        this.prefixes = prefixes;
        this.prefixIndex = prefixes.length >= INDEX_FROM ? new PrefixIndex(prefixes) : null;
        this.regexes = regexes;
    }

    static HostRoutes of(List<RouteEntry> entries) {
        Map<String, List<RouteEntry>> exact = new HashMap<>();
        List<RouteEntry> prefixes = new ArrayList<>();
        List<RouteEntry> regexes = new ArrayList<>();
        for (RouteEntry e : entries) {
            if (e.route.pathExact() != null) {
                exact.computeIfAbsent(e.route.pathExact(), k -> new ArrayList<>()).add(e);
            } else if (e.pathRegex != null) {
                regexes.add(e);
            } else {
                prefixes.add(e);
            }
        }
        Map<String, RouteEntry[]> exactPaths = new HashMap<>();
        exact.forEach((path, list) -> exactPaths.put(path, list.stream().sorted(RouteEntry.BY_CONDITIONS).toArray(RouteEntry[]::new)));
        return new HostRoutes(exactPaths.isEmpty() ? Map.of() : Map.copyOf(exactPaths),
                prefixes.stream().sorted(RouteEntry.LONGEST_PREFIX).toArray(RouteEntry[]::new),
                regexes.isEmpty() ? NONE : regexes.stream().sorted(RouteEntry.BY_CONDITIONS).toArray(RouteEntry[]::new));
    }

    /** The most specific route of this host key for {@code path}, or null. */
    RouteMatch match(String path, HttpRequest request) {
        if (!exactPaths.isEmpty()) {
            RouteEntry[] exact = exactPaths.get(path);
            if (exact != null) {
                for (RouteEntry e : exact) {
                    if (e.accepts(request)) {
                        return e.matched(path);
                    }
                }
            }
        }
        if (prefixIndex != null) {
            RouteMatch m = prefixIndex.match(path, request);
            if (m != null) {
                return m;
            }
        } else {
            for (RouteEntry e : prefixes) {
                if (path.startsWith(e.route.pathPrefix()) && e.accepts(request)) {
                    return e.matched(path);
                }
            }
        }
        for (RouteEntry e : regexes) {
            if (e.pathRegex.matcher(path).matches() && e.accepts(request)) {
                return e.matched(path);
            }
        }
        return null;
    }
}
