package io.ballast.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.dataplane.upstream.LiveBackends;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    private static Route route(String name, List<String> hosts, String prefix, int priority, boolean strip) {
        return new Route(name, hosts, prefix, priority, "p", strip);
    }

    private static RoutingTable table(Route... routes) {
        return RoutingTable.build(new ConfigSnapshot(List.of(Pool.named("p")), List.of(routes)), new LiveBackends(() -> 0));
    }

    private static String match(RoutingTable t, String host, String path) {
        RouteMatch m = t.match(Hosts.normalize(host), path);
        return m == null ? null : m.route().name();
    }

    @Test
    void exactHostBeatsWildcardBeatsAny() {
        RoutingTable t = table(
                route("any", List.of("*"), "/", 0, false),
                route("wild", List.of("*.example.com"), "/", 0, false),
                route("deep-wild", List.of("*.shop.example.com"), "/", 0, false),
                route("exact", List.of("shop.example.com"), "/", 0, false));
        assertThat(match(t, "shop.example.com", "/x")).isEqualTo("exact");
        assertThat(match(t, "a.example.com", "/x")).isEqualTo("wild");
        assertThat(match(t, "a.shop.example.com", "/x")).isEqualTo("deep-wild");
        assertThat(match(t, "example.com", "/x")).isEqualTo("any");
        assertThat(match(t, "other.org", "/x")).isEqualTo("any");
        assertThat(match(t, null, "/x")).isEqualTo("any");
    }

    @Test
    void hostIsMatchedWithoutPortCaseOrTrailingDot() {
        RoutingTable t = table(route("exact", List.of("shop.example.com"), "/", 0, false));
        assertThat(match(t, "Shop.Example.COM:8080", "/")).isEqualTo("exact");
        assertThat(match(t, "shop.example.com.", "/")).isEqualTo("exact");
        assertThat(match(t, "shop.example.org", "/")).isNull();
    }

    @Test
    void longestPrefixWinsThenPriorityThenName() {
        RoutingTable t = table(
                route("root", List.of("*"), "/", 0, false),
                route("api", List.of("*"), "/api", 0, false),
                route("api-v2", List.of("*"), "/api/v2", 0, false),
                route("api-v2-high", List.of("*"), "/api/v2", 5, false));
        assertThat(match(t, "h", "/api/v2/users")).isEqualTo("api-v2-high");
        assertThat(match(t, "h", "/api/v1")).isEqualTo("api");
        assertThat(match(t, "h", "/apix")).isEqualTo("api");
        assertThat(match(t, "h", "/")).isEqualTo("root");
        assertThat(match(t, "h", "")).isEqualTo("root");
    }

    @Test
    void aTierWithoutAMatchingPrefixFallsThrough() {
        RoutingTable t = table(
                route("exact-api", List.of("shop.example.com"), "/api", 0, false),
                route("wild-static", List.of("*.example.com"), "/static", 0, false),
                route("any", List.of("*"), "/", 0, false));
        assertThat(match(t, "shop.example.com", "/api/x")).isEqualTo("exact-api");
        assertThat(match(t, "shop.example.com", "/static/a.css")).isEqualTo("wild-static");
        assertThat(match(t, "shop.example.com", "/other")).isEqualTo("any");
    }

    @Test
    void noRouteGivesNull() {
        RoutingTable t = table(route("api", List.of("api.example.com"), "/api", 0, false));
        assertThat(match(t, "api.example.com", "/other")).isNull();
        assertThat(match(t, "www.example.com", "/api")).isNull();
    }

    @Test
    void stripPrefixKeepsALeadingSlash() {
        RoutingTable t = table(
                route("strip", List.of("*"), "/api", 0, true),
                route("strip-slash", List.of("*"), "/v2/", 0, true),
                route("keep", List.of("*"), "/keep", 0, false));
        assertThat(t.match("h", "/api/users").path()).isEqualTo("/users");
        assertThat(t.match("h", "/api").path()).isEqualTo("/");
        assertThat(t.match("h", "/apiusers").path()).isEqualTo("/users");
        assertThat(t.match("h", "/v2/users").path()).isEqualTo("/users");
        assertThat(t.match("h", "/keep/x").path()).isEqualTo("/keep/x");
    }

    @Test
    void aMatchCarriesThePoolOfTheSameTable() {
        RoutingTable t = table(route("r", List.of("*"), "/", 0, false));
        assertThat(t.match("h", "/").pool()).isSameAs(t.pool("p"));
    }
}
