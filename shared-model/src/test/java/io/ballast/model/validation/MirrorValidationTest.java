package io.ballast.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.model.json.BallastJson;
import io.ballast.model.Mirror;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.RouteActions;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.snapshot.SnapshotValidator;
import java.util.List;
import org.junit.jupiter.api.Test;

class MirrorValidationTest {
    private final ModelValidator validator = ModelValidator.withDefaults();

    private List<String> fields(Route route) {
        return validator.route(route, "routes[0].").stream().map(Violation::field).toList();
    }

    @Test
    void aMirrorTakesItsDefaultsAndSurvivesJsonAndYaml() throws Exception {
        Route route = Route.of("shop", "web").withMirror(new Mirror("shadow", null, null));
        assertThat(fields(route)).isEmpty();
        assertThat(route.mirror().percent()).isEqualTo(100);
        assertThat(route.mirror().maxBody()).isEqualTo(64 * 1024);
        String json = BallastJson.canonical().writeValueAsString(route);
        assertThat(json).contains("\"mirror\":{\"maxBody\":65536,\"percent\":100,\"pool\":\"shadow\"}");
        assertThat(BallastJson.strict().readValue(json, Route.class)).isEqualTo(route);
        Route yaml = BallastJson.yaml().readValue("""
                name: shop
                pool: web
                mirror: { pool: shadow, percent: 25, maxBody: 0 }
                """, Route.class);
        assertThat(yaml.mirror()).isEqualTo(new Mirror("shadow", 25, 0));
    }

    @Test
    void aRouteWithoutMirrorKeepsItsCanonicalForm() throws Exception {
        assertThat(BallastJson.canonical().writeValueAsString(Route.of("site", "web")))
                .isEqualTo("{\"hosts\":[\"*\"],\"name\":\"site\",\"pathPrefix\":\"/\",\"pool\":\"web\",\"priority\":0,\"stripPrefix\":false}");
    }

    @Test
    void percentAndBodyLimitOutOfRangeNameTheirFields() {
        assertThat(fields(Route.of("a", "web").withMirror(Mirror.of("shadow", 101)))).containsExactly("routes[0].mirror.percent");
        assertThat(fields(Route.of("a", "web").withMirror(Mirror.of("shadow", -1)))).containsExactly("routes[0].mirror.percent");
        assertThat(fields(Route.of("a", "web").withMirror(new Mirror("shadow", 0, Mirror.MAX_MAX_BODY + 1))))
                .containsExactly("routes[0].mirror.maxBody");
        assertThat(fields(Route.of("a", "web").withMirror(Mirror.of("shadow", 0)))).isEmpty();
    }

    @Test
    void aMissingOrMalformedPoolNameIsRefused() {
        assertThat(fields(Route.of("a", "web").withMirror(new Mirror(null, null, null)))).containsExactly("routes[0].mirror.pool");
        assertThat(fields(Route.of("a", "web").withMirror(Mirror.of("Not_A_Slug", 100)))).containsExactly("routes[0].mirror.pool");
    }

    @Test
    void aRouteThatAnswersItselfCannotMirror() {
        Route redirect = Route.of("r", null).withRedirect(new RouteActions.Redirect("https", null, null, null, null, null))
                .withMirror(Mirror.of("shadow", 100));
        assertThat(fields(redirect)).containsExactly("routes[0].mirror");
        Route fixed = Route.of("d", null).withDirectResponse(new RouteActions.DirectResponse(200, "ok", null))
                .withMirror(Mirror.of("shadow", 100));
        assertThat(fields(fixed)).containsExactly("routes[0].mirror");
    }

    @Test
    void anUnknownMirrorPoolIsNamedInTheSnapshot() {
        ConfigSnapshot snapshot = new ConfigSnapshot(List.of(Pool.named("web")),
                List.of(Route.of("site", "web").withMirror(Mirror.of("nope", 100))));
        assertThat(SnapshotValidator.withDefaults().validate(snapshot)).extracting(Violation::field).containsExactly("routes[0].mirror.pool");
        ConfigSnapshot ok = new ConfigSnapshot(List.of(Pool.named("web"), Pool.named("shadow")),
                List.of(Route.of("site", "web").withMirror(Mirror.of("shadow", 100))));
        assertThat(SnapshotValidator.withDefaults().validate(ok)).isEmpty();
    }

    @Test
    void aPoolThatSpeaksHttp2ToItsBackendsCannotTakeMirrorCopies() {
        ConfigSnapshot snapshot = new ConfigSnapshot(List.of(Pool.named("web"), Pool.builder("shadow").protocol("h2c").build()),
                List.of(Route.of("site", "web").withMirror(Mirror.of("shadow", 100))));
        assertThat(SnapshotValidator.withDefaults().validate(snapshot)).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("routes[0].mirror.pool");
            assertThat(v.message()).contains("HTTP/2");
        });
    }
}
