package io.ballast.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.dataplane.upstream.LiveBackends;
import io.ballast.model.Pool;
import io.ballast.model.RequestMatch;
import io.ballast.model.RequestMatch.HeaderMatch;
import io.ballast.model.RequestMatch.QueryMatch;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Exact, prefix and regex paths, methods, headers and query parameters, in API.md's order of specificity. */
class RequestMatchingTest {
    private static RoutingTable table(Route... routes) {
        return RoutingTable.build(new ConfigSnapshot(List.of(Pool.named("p")), List.of(routes)), new LiveBackends(() -> 0));
    }

    private static Route route(String name) {
        return Route.of(name, "p");
    }

    private static HttpRequest request(HttpMethod method, String uri, String... headers) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        for (int i = 0; i < headers.length; i += 2) {
            r.headers().add(headers[i], headers[i + 1]);
        }
        return r;
    }

    private static String match(RoutingTable t, HttpRequest r) {
        String uri = r.uri();
        int q = uri.indexOf('?');
        RouteMatch m = t.match("shop.example.com", q < 0 ? uri : uri.substring(0, q), r);
        return m == null ? null : m.route().name();
    }

    private static String get(RoutingTable t, String uri, String... headers) {
        return match(t, request(HttpMethod.GET, uri, headers));
    }

    private static RequestMatch headers(HeaderMatch... h) {
        return new RequestMatch(null, List.of(h), null);
    }

    @Test
    void exactPathBeatsLongestPrefixBeatsRegex() {
        RoutingTable t = table(
                route("regex").withPathRegex("/api/v[0-9]+/.*"),
                route("prefix").withPathPrefix("/api/"),
                route("longer").withPathPrefix("/api/v1/"),
                route("exact").withPathExact("/api/v1/health"),
                route("root"));
        assertThat(get(t, "/api/v1/health")).isEqualTo("exact");
        assertThat(get(t, "/api/v1/health/x")).isEqualTo("longer");
        assertThat(get(t, "/api/v2/x")).isEqualTo("prefix");
        assertThat(get(t, "/other")).isEqualTo("root");
        assertThat(get(t, "/apx/v2/x")).as("any matching prefix, the default / too, ranks above a regex").isEqualTo("root");
        RoutingTable regexOnly = table(route("regex").withPathRegex("/api/v[0-9]+/.*"), route("exact").withPathExact("/api"));
        assertThat(get(regexOnly, "/api/v2/x")).isEqualTo("regex");
        assertThat(get(regexOnly, "/api/vx/x")).as("the whole path must match").isNull();
        assertThat(get(regexOnly, "/api/")).isNull();
    }

    @Test
    void moreConditionsWinOnTheSamePathThenPriority() {
        RoutingTable t = table(
                route("plain").withPathPrefix("/api/"),
                route("get").withPathPrefix("/api/").withMatch(new RequestMatch(List.of("GET", "HEAD"), null, null)),
                route("get-beta").withPathPrefix("/api/").withMatch(new RequestMatch(List.of("GET"),
                        List.of(new HeaderMatch("X-Beta", null, null, null, true, null)), null)),
                route("high").withPathPrefix("/api/").withPriority(10));
        assertThat(get(t, "/api/x", "x-beta", "1")).isEqualTo("get-beta");
        assertThat(get(t, "/api/x")).isEqualTo("get");
        assertThat(match(t, request(HttpMethod.POST, "/api/x"))).as("no conditions met: priority decides").isEqualTo("high");
        // A longer prefix without conditions still beats a shorter one with them.
        RoutingTable longer = table(route("cond").withPathPrefix("/a").withMatch(new RequestMatch(List.of("GET"), null, null)),
                route("long").withPathPrefix("/a/b"));
        assertThat(get(longer, "/a/b")).isEqualTo("long");
    }

    @Test
    void headerConditions() {
        RoutingTable t = table(
                route("exact").withPathExact("/e").withMatch(headers(new HeaderMatch("X-Env", "prod", null, null, null, null))),
                route("prefix").withPathExact("/p").withMatch(headers(new HeaderMatch("User-Agent", null, "curl/", null, null, null))),
                route("regex").withPathExact("/r").withMatch(headers(new HeaderMatch("X-Id", null, null, "[0-9]{3}", null, null))),
                route("present").withPathExact("/h").withMatch(headers(new HeaderMatch("Authorization", null, null, null, true, null))),
                route("absent").withPathExact("/a").withMatch(headers(new HeaderMatch("Cookie", null, null, null, true, true))),
                route("not-regex").withPathExact("/n").withMatch(headers(new HeaderMatch("X-Id", null, null, "[0-9]{3}", null, true))));
        assertThat(get(t, "/e", "X-Env", "prod")).isEqualTo("exact");
        assertThat(get(t, "/e", "x-env", "Prod")).as("values are case-sensitive").isNull();
        assertThat(get(t, "/e", "X-Env", "dev", "X-Env", "prod")).as("one matching field of several").isEqualTo("exact");
        assertThat(get(t, "/p", "user-agent", "curl/8.1")).isEqualTo("prefix");
        assertThat(get(t, "/p", "user-agent", "wget")).isNull();
        assertThat(get(t, "/r", "X-Id", "123")).isEqualTo("regex");
        assertThat(get(t, "/r", "X-Id", "1234")).as("the whole value must match").isNull();
        assertThat(get(t, "/h", "authorization", "Bearer x")).isEqualTo("present");
        assertThat(get(t, "/h")).isNull();
        assertThat(get(t, "/a")).isEqualTo("absent");
        assertThat(get(t, "/a", "cookie", "a=b")).isNull();
        assertThat(get(t, "/n", "X-Id", "1234")).isEqualTo("not-regex");
        assertThat(get(t, "/n")).as("inverted: a missing header matches").isEqualTo("not-regex");
        assertThat(get(t, "/n", "X-Id", "123")).isNull();
    }

    @Test
    void queryConditionsOnDecodedValues() {
        RoutingTable t = table(
                route("exact").withPathExact("/q").withMatch(new RequestMatch(null, null, List.of(new QueryMatch("v", "a b", null, null)))),
                route("regex").withPathExact("/r").withMatch(new RequestMatch(null, null, List.of(new QueryMatch("id", null, "[a-f]+", null)))),
                route("present").withPathExact("/p").withMatch(new RequestMatch(null, null, List.of(new QueryMatch("debug", null, null, true)))));
        assertThat(get(t, "/q?v=a%20b")).isEqualTo("exact");
        assertThat(get(t, "/q?x=1&v=a+b")).isEqualTo("exact");
        assertThat(get(t, "/q?v=ab")).isNull();
        assertThat(get(t, "/r?id=cafe")).isEqualTo("regex");
        assertThat(get(t, "/r?id=cafe1")).isNull();
        assertThat(get(t, "/p?debug")).isEqualTo("present");
        assertThat(get(t, "/p?debug=0")).isEqualTo("present");
        assertThat(get(t, "/p")).isNull();
    }

    @Test
    void wildcardHostsAreFoundByLookupLongestSuffixFirst() {
        List<Route> many = IntStream.range(0, 500).mapToObj(i -> route("w" + i).withHosts(List.of("*.s" + i + ".example.com"))).toList();
        RoutingTable t = RoutingTable.build(new ConfigSnapshot(List.of(Pool.named("p")),
                java.util.stream.Stream.concat(many.stream(), java.util.stream.Stream.of(
                        route("outer").withHosts(List.of("*.example.com")))).toList()), new LiveBackends(() -> 0));
        assertThat(t.match("a.s42.example.com", "/").route().name()).isEqualTo("w42");
        assertThat(t.match("x.a.s499.example.com", "/").route().name()).isEqualTo("w499");
        assertThat(t.match("s42.example.com", "/").route().name()).isEqualTo("outer");
        assertThat(t.match("example.com", "/")).isNull();
    }

    @Test
    void manyPrefixesOnOneHostAreFoundByTheIndexAsAScanWouldFindThem() {
        java.util.Random random = new java.util.Random(11);
        List<String> prefixes = new java.util.ArrayList<>(List.of("/", "/a", "/ab", "/abc/", "/b/", "/api/", "/api/v1/"));
        for (int i = 0; i < 300; i++) {
            StringBuilder p = new StringBuilder("/");
            int len = 1 + random.nextInt(6);
            for (int j = 0; j < len; j++) {
                p.append("abc/".charAt(random.nextInt(4)));
            }
            if (!prefixes.contains(p.toString())) {
                prefixes.add(p.toString());
            }
        }
        List<Route> routes = new java.util.ArrayList<>();
        for (int i = 0; i < prefixes.size(); i++) {
            Route r = route("r" + i).withPathPrefix(prefixes.get(i));
            routes.add(i % 3 == 0 ? r.withMatch(new RequestMatch(List.of("GET"), null, null)) : r);
        }
        RoutingTable t = table(routes.toArray(Route[]::new));
        for (int i = 0; i < 2000; i++) {
            StringBuilder path = new StringBuilder("/");
            int len = random.nextInt(9);
            for (int j = 0; j < len; j++) {
                path.append("abcx/".charAt(random.nextInt(5)));
            }
            HttpMethod method = random.nextBoolean() ? HttpMethod.GET : HttpMethod.POST;
            String expected = routes.stream()
                    .filter(r -> path.toString().startsWith(r.pathPrefix()) && (r.match() == null || method == HttpMethod.GET))
                    .sorted(java.util.Comparator.comparingInt((Route r) -> r.pathPrefix().length()).reversed()
                            .thenComparing(java.util.Comparator.comparingInt(Route::conditions).reversed())
                            .thenComparing(Route::name))
                    .map(Route::name).findFirst().orElse(null);
            assertThat(match(t, request(method, path.toString()))).as("%s %s", method, path).isEqualTo(expected);
        }
    }

    @Test
    void aRegexRewriteAppliesToThePathAfterStripPrefix() {
        RoutingTable t = table(new Route("svc", null, "/svc/", null, "p", true).withRewrite(
                new io.ballast.model.RouteActions.Rewrite(null, new io.ballast.model.RouteActions.PathRegex("^/v1/", "/v2/"), null)));
        assertThat(t.match("shop.example.com", "/svc/v1/x", request(HttpMethod.GET, "/svc/v1/x")).path()).isEqualTo("/v2/x");
        assertThat(t.match("shop.example.com", "/svc/other", request(HttpMethod.GET, "/svc/other")).path()).isEqualTo("/other");
    }
}
