package io.ballast.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.model.Pool;
import io.ballast.model.RequestMatch;
import io.ballast.model.RequestMatch.HeaderMatch;
import io.ballast.model.RequestMatch.QueryMatch;
import io.ballast.model.Route;
import io.ballast.model.json.BallastJson;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.snapshot.SnapshotValidator;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteMatchValidationTest {
    private final ModelValidator validator = ModelValidator.withDefaults();

    private List<String> fields(Route route) {
        return validator.route(route, "").stream().map(Violation::field).toList();
    }

    @Test
    void aRouteWithEveryKindOfConditionIsValidAndSurvivesJson() throws Exception {
        Route route = Route.of("api", "web").withPathRegex("/items/[0-9]+").withMatch(new RequestMatch(List.of("GET", "PUT"),
                List.of(new HeaderMatch("X-Env", "prod", null, null, null, null), new HeaderMatch("Cookie", null, null, null, true, true)),
                List.of(new QueryMatch("v", null, "[0-9]", null))));
        assertThat(fields(route)).isEmpty();
        String json = BallastJson.canonical().writeValueAsString(route);
        assertThat(BallastJson.strict().readValue(json, Route.class)).isEqualTo(route);
        assertThat(json).doesNotContain("pathPrefix");
        Route yaml = BallastJson.yaml().readValue("""
                name: api
                pool: web
                pathExact: /status
                match:
                  methods: [GET]
                  headers: [{name: X-Beta, present: true, invert: true}]
                """, Route.class);
        assertThat(yaml.pathExact()).isEqualTo("/status");
        assertThat(yaml.pathPrefix()).isNull();
        assertThat(yaml.conditions()).isEqualTo(2);
        assertThat(BallastJson.canonical().writeValueAsString(yaml.match())).doesNotContain("query");
    }

    @Test
    void aRouteWithoutNewFieldsKeepsItsCanonicalForm() throws Exception {
        assertThat(BallastJson.canonical().writeValueAsString(Route.of("site", "web")))
                .isEqualTo("{\"hosts\":[\"*\"],\"name\":\"site\",\"pathPrefix\":\"/\",\"pool\":\"web\",\"priority\":0,\"stripPrefix\":false}");
    }

    @Test
    void pathAlternativesAreExclusive() {
        Route both = new Route("r", null, "/a", null, "web", null, "/a/b", null, null, null, null, null, null, null, null);
        assertThat(fields(both)).containsExactly("pathExact");
        assertThat(fields(Route.of("r", "web").withPathRegex("/a(["))).containsExactly("pathRegex");
        assertThat(fields(Route.of("r", "web").withPathExact("/a?b"))).containsExactly("pathExact");
        assertThat(fields(new Route("r", null, null, null, "web", true, "/a", null, null, null, null, null, null, null, null))).containsExactly("stripPrefix");
    }

    @Test
    void badConditionsArePointedAt() {
        RequestMatch bad = new RequestMatch(List.of("get", "GET", "GET"),
                List.of(new HeaderMatch("Bad Name", "x", null, null, null, null),
                        new HeaderMatch("X-A", "x", "y", null, null, null),
                        new HeaderMatch("X-B", null, null, "(", null, null),
                        new HeaderMatch("X-C", "a\r\nInjected: 1", null, null, null, null),
                        new HeaderMatch("X-D", null, null, null, false, null)),
                List.of(new QueryMatch("", "x", null, null), new QueryMatch("q", null, null, null)));
        assertThat(fields(Route.of("r", "web").withMatch(bad))).containsExactlyInAnyOrder(
                "match.methods[0]", "match.methods[2]",
                "match.headers[0].name", "match.headers[1]", "match.headers[2].regex", "match.headers[3].exact",
                "match.headers[4].present", "match.query[0].name", "match.query[1]");
    }

    @Test
    void routesDifferingOnlyInConditionsMayShareAPath() {
        Route plain = Route.of("a", "web");
        Route beta = Route.of("b", "web").withMatch(new RequestMatch(null, List.of(new HeaderMatch("X-Beta", null, null, null, true, null)), null));
        SnapshotValidator snapshots = SnapshotValidator.withDefaults();
        assertThat(snapshots.validate(new ConfigSnapshot(List.of(Pool.named("web")), List.of(plain, beta)))).isEmpty();
        assertThat(snapshots.validate(new ConfigSnapshot(List.of(Pool.named("web")), List.of(beta, beta.withName("c")))))
                .extracting(Violation::field).containsExactly("routes[1].hosts");
    }
}
