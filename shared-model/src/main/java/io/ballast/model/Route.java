package io.ballast.model;

import java.util.List;
import java.util.Objects;

/**
 * Sends requests whose host, path and conditions match to a pool. The most specific route wins (API.md): an
 * exact host before a wildcard host before {@code *}; then an exact path, then the longest path prefix, then a
 * path regex; then more {@code match} conditions; then the higher priority.
 *
 * @param name        unique route name (a slug)
 * @param hosts       exact hosts or wildcards such as {@code *.example.com} [["*"]]; an empty list is kept as
 *                    given (and refused by validation) rather than read as "every host"
 * @param pathPrefix  path prefix, starting with {@code /} [/ unless pathExact or pathRegex is given]
 * @param priority    breaks ties between equally specific routes, higher first [0]
 * @param pool        the pool that serves matching requests
 * @param stripPrefix remove {@code pathPrefix} before forwarding [false]
 * @param pathExact   the whole path, instead of a prefix
 * @param pathRegex   a regular expression the whole path must match, instead of a prefix
 * @param match       methods, headers and query parameters the request must also match
 * @param redirect        answer with a redirect instead of forwarding (no pool)
 * @param directResponse  answer with a fixed response instead of forwarding (no pool)
 * @param rewrite         path and host changes for the backend
 * @param requestHeaders  header edits on the request sent to the backend
 * @param responseHeaders header edits on the response sent to the client
 * @param pools           a weighted split across pools, instead of {@code pool}
 * @param httpsRedirect   answer cleartext requests with a 308 to the {@code https://} URL [false; kept as null,
 *                        so a route without it keeps its canonical JSON and hash]
 * @param hsts            the {@code Strict-Transport-Security} value added to every answer over TLS
 * @param mirror          a copy of a share of the requests sent to another pool, its answer discarded
 * @param rateLimit       a token bucket per client (or per header value) in front of the route, or null for none
 */
public record Route(String name, List<String> hosts, String pathPrefix, Integer priority, String pool, Boolean stripPrefix,
                    String pathExact, String pathRegex, RequestMatch match,
                    RouteActions.Redirect redirect, RouteActions.DirectResponse directResponse, RouteActions.Rewrite rewrite,
                    RouteActions.HeaderEdits requestHeaders, RouteActions.HeaderEdits responseHeaders, List<WeightedPool> pools,
                    Boolean httpsRedirect, String hsts, Mirror mirror, RateLimit rateLimit) {

    public Route {
        hosts = hosts == null
                ? List.of("*")
                : hosts.stream().map(h -> h == null ? null : h.toLowerCase(java.util.Locale.ROOT)).toList();
        if (pathExact == null && pathRegex == null) {
            pathPrefix = Objects.requireNonNullElse(pathPrefix, "/");
        }
        priority = Objects.requireNonNullElse(priority, 0);
        stripPrefix = Objects.requireNonNullElse(stripPrefix, false);
        pools = pools == null ? null : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(pools));
        // false is the default: stored as absent, so writing it explicitly does not change the revision's hash.
        httpsRedirect = Boolean.TRUE.equals(httpsRedirect) ? Boolean.TRUE : null;
    }

    /** A route of the fields before the rate limit. */
    public Route(String name, List<String> hosts, String pathPrefix, Integer priority, String pool, Boolean stripPrefix,
                 String pathExact, String pathRegex, RequestMatch match,
                 RouteActions.Redirect redirect, RouteActions.DirectResponse directResponse, RouteActions.Rewrite rewrite,
                 RouteActions.HeaderEdits requestHeaders, RouteActions.HeaderEdits responseHeaders, List<WeightedPool> pools,
                 Boolean httpsRedirect, String hsts, Mirror mirror) {
        this(name, hosts, pathPrefix, priority, pool, stripPrefix, pathExact, pathRegex, match, redirect, directResponse, rewrite,
                requestHeaders, responseHeaders, pools, httpsRedirect, hsts, mirror, null);
    }

    /** A route of the fields before mirroring. */
    public Route(String name, List<String> hosts, String pathPrefix, Integer priority, String pool, Boolean stripPrefix,
                 String pathExact, String pathRegex, RequestMatch match,
                 RouteActions.Redirect redirect, RouteActions.DirectResponse directResponse, RouteActions.Rewrite rewrite,
                 RouteActions.HeaderEdits requestHeaders, RouteActions.HeaderEdits responseHeaders, List<WeightedPool> pools,
                 Boolean httpsRedirect, String hsts) {
        this(name, hosts, pathPrefix, priority, pool, stripPrefix, pathExact, pathRegex, match, redirect, directResponse, rewrite,
                requestHeaders, responseHeaders, pools, httpsRedirect, hsts, null, null);
    }

    /** A route of the fields before the HTTPS policy. */
    public Route(String name, List<String> hosts, String pathPrefix, Integer priority, String pool, Boolean stripPrefix,
                 String pathExact, String pathRegex, RequestMatch match,
                 RouteActions.Redirect redirect, RouteActions.DirectResponse directResponse, RouteActions.Rewrite rewrite,
                 RouteActions.HeaderEdits requestHeaders, RouteActions.HeaderEdits responseHeaders, List<WeightedPool> pools) {
        this(name, hosts, pathPrefix, priority, pool, stripPrefix, pathExact, pathRegex, match, redirect, directResponse, rewrite,
                requestHeaders, responseHeaders, pools, null, null, null, null);
    }

    /** Whether cleartext requests are redirected to HTTPS. */
    public boolean redirectsToHttps() {
        return Boolean.TRUE.equals(httpsRedirect);
    }

    /** The HTTPS policy: a 308 from cleartext ({@code redirect}) and the HSTS value for TLS answers (null: none). */
    public Route withHttps(boolean redirect, String hstsValue) {
        return new Route(name, hosts, pathPrefix, priority, pool, stripPrefix, pathExact, pathRegex, match, this.redirect, directResponse,
                rewrite, requestHeaders, responseHeaders, pools, redirect, hstsValue, mirror, rateLimit);
    }

    /** A route of the original fields (host and prefix only). */
    public Route(String name, List<String> hosts, String pathPrefix, Integer priority, String pool, Boolean stripPrefix) {
        this(name, hosts, pathPrefix, priority, pool, stripPrefix, null, null, null, null, null, null, null, null, null);
    }

    public static Route of(String name, String pool) {
        return new Route(name, null, null, null, pool, null);
    }

    public Route withHosts(List<String> newHosts) {
        return new Route(name, newHosts, pathPrefix, priority, pool, stripPrefix, pathExact, pathRegex, match, redirect, directResponse, rewrite, requestHeaders, responseHeaders, pools, httpsRedirect, hsts, mirror, rateLimit);
    }

    public Route withPathPrefix(String newPrefix) {
        return new Route(name, hosts, newPrefix, priority, pool, stripPrefix, pathExact, pathRegex, match, redirect, directResponse, rewrite, requestHeaders, responseHeaders, pools, httpsRedirect, hsts, mirror, rateLimit);
    }

    public Route withName(String newName) {
        return new Route(newName, hosts, pathPrefix, priority, pool, stripPrefix, pathExact, pathRegex, match, redirect, directResponse, rewrite, requestHeaders, responseHeaders, pools, httpsRedirect, hsts, mirror, rateLimit);
    }

    /** Only {@code path} matches, exactly. */
    public Route withPathExact(String path) {
        return new Route(name, hosts, null, priority, pool, stripPrefix, path, null, match, redirect, directResponse, rewrite, requestHeaders, responseHeaders, pools, httpsRedirect, hsts, mirror, rateLimit);
    }

    /** Paths that match {@code regex} as a whole. */
    public Route withPathRegex(String regex) {
        return new Route(name, hosts, null, priority, pool, stripPrefix, null, regex, match, redirect, directResponse, rewrite, requestHeaders, responseHeaders, pools, httpsRedirect, hsts, mirror, rateLimit);
    }

    public Route withMatch(RequestMatch newMatch) {
        return new Route(name, hosts, pathPrefix, priority, pool, stripPrefix, pathExact, pathRegex, newMatch, redirect, directResponse, rewrite, requestHeaders, responseHeaders, pools, httpsRedirect, hsts, mirror, rateLimit);
    }

    public Route withPriority(int newPriority) {
        return new Route(name, hosts, pathPrefix, newPriority, pool, stripPrefix, pathExact, pathRegex, match, redirect, directResponse, rewrite, requestHeaders, responseHeaders, pools, httpsRedirect, hsts, mirror, rateLimit);
    }

    /** The route answers requests itself (a redirect or a fixed response), so it names no pool. */
    public boolean answersItself() {
        return redirect != null || directResponse != null;
    }

    public Route withPool(String newPool) {
        return new Route(name, hosts, pathPrefix, priority, newPool, stripPrefix, pathExact, pathRegex, match, redirect, directResponse,
                rewrite, requestHeaders, responseHeaders, pools, httpsRedirect, hsts, mirror, rateLimit);
    }

    public Route withRedirect(RouteActions.Redirect r) {
        return new Route(name, hosts, pathPrefix, priority, null, stripPrefix, pathExact, pathRegex, match, r, null,
                rewrite, requestHeaders, responseHeaders, pools, httpsRedirect, hsts, mirror, rateLimit);
    }

    public Route withDirectResponse(RouteActions.DirectResponse d) {
        return new Route(name, hosts, pathPrefix, priority, null, stripPrefix, pathExact, pathRegex, match, null, d,
                rewrite, requestHeaders, responseHeaders, pools, httpsRedirect, hsts, mirror, rateLimit);
    }

    public Route withRewrite(RouteActions.Rewrite r) {
        return new Route(name, hosts, pathPrefix, priority, pool, stripPrefix, pathExact, pathRegex, match, redirect, directResponse,
                r, requestHeaders, responseHeaders, pools, httpsRedirect, hsts, mirror, rateLimit);
    }

    public Route withHeaders(RouteActions.HeaderEdits request, RouteActions.HeaderEdits response) {
        return new Route(name, hosts, pathPrefix, priority, pool, stripPrefix, pathExact, pathRegex, match, redirect, directResponse,
                rewrite, request, response, pools, httpsRedirect, hsts, mirror, rateLimit);
    }

    /** A weighted split across {@code newPools} instead of one pool. */
    public Route withPools(List<WeightedPool> newPools) {
        return new Route(name, hosts, pathPrefix, priority, null, stripPrefix, pathExact, pathRegex, match, redirect, directResponse,
                rewrite, requestHeaders, responseHeaders, newPools, httpsRedirect, hsts, mirror, rateLimit);
    }

    /** Mirroring to {@code newMirror} (null: none). */
    public Route withMirror(Mirror newMirror) {
        return new Route(name, hosts, pathPrefix, priority, pool, stripPrefix, pathExact, pathRegex, match, redirect, directResponse,
                rewrite, requestHeaders, responseHeaders, pools, httpsRedirect, hsts, newMirror, rateLimit);
    }

    /** The route with {@code limit} as its rate limit (null: none). */
    public Route withRateLimit(RateLimit limit) {
        return new Route(name, hosts, pathPrefix, priority, pool, stripPrefix, pathExact, pathRegex, match, redirect, directResponse,
                rewrite, requestHeaders, responseHeaders, pools, httpsRedirect, hsts, mirror, limit);
    }

    /** Every pool the route sends traffic to: {@code pool}, or each of {@code pools}. */
    public List<String> poolNames() {
        if (pools != null) {
            return pools.stream().map(WeightedPool::pool).toList();
        }
        return pool == null ? List.of() : List.of(pool);
    }

    /** How many {@code match} conditions the route has (0 without). */
    public int conditions() {
        return match == null ? 0 : match.conditions();
    }
}
