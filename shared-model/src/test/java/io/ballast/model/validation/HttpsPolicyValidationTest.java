package io.ballast.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.model.Route;
import io.ballast.model.json.BallastJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpsPolicyValidationTest {
    private final ModelValidator validator = ModelValidator.withDefaults();

    private List<String> fields(Route route) {
        return validator.route(route, "routes[0].").stream().map(Violation::field).toList();
    }

    @Test
    void aRouteWithAnHttpsPolicyIsValidAndSurvivesJson() throws Exception {
        Route route = Route.of("shop", "web").withHttps(true, "max-age=31536000; includeSubDomains; preload");
        assertThat(fields(route)).isEmpty();
        String json = BallastJson.canonical().writeValueAsString(route);
        assertThat(json).contains("\"httpsRedirect\":true").contains("\"hsts\":\"max-age=31536000; includeSubDomains; preload\"");
        assertThat(BallastJson.strict().readValue(json, Route.class)).isEqualTo(route);
        Route yaml = BallastJson.yaml().readValue("""
                name: shop
                pool: web
                httpsRedirect: true
                hsts: max-age=600
                """, Route.class);
        assertThat(yaml.redirectsToHttps()).isTrue();
        assertThat(yaml.hsts()).isEqualTo("max-age=600");
    }

    @Test
    void anExplicitFalseRedirectKeepsTheCanonicalFormOfARouteWithoutIt() throws Exception {
        Route explicit = BallastJson.strict().readValue("{\"name\":\"site\",\"pool\":\"web\",\"httpsRedirect\":false}", Route.class);
        assertThat(explicit).isEqualTo(Route.of("site", "web"));
        assertThat(explicit.redirectsToHttps()).isFalse();
        assertThat(BallastJson.canonical().writeValueAsString(explicit))
                .isEqualTo("{\"hosts\":[\"*\"],\"name\":\"site\",\"pathPrefix\":\"/\",\"pool\":\"web\",\"priority\":0,\"stripPrefix\":false}");
    }

    @Test
    void copiesKeepThePolicy() {
        Route route = Route.of("shop", "web").withHttps(true, "max-age=60").withPathExact("/a").withPriority(3).withName("s2");
        assertThat(route.redirectsToHttps()).isTrue();
        assertThat(route.hsts()).isEqualTo("max-age=60");
    }

    @Test
    void badHstsValuesAreRefusedNamingTheField() {
        for (String bad : List.of("", "includeSubDomains", "max-age=", "max-age=abc", "max-age=60\r\nX-Evil: 1",
                "max-age=60; \u00e9", "max-age=60;\tpreload", " max-age=60", "max-age=1" + "0".repeat(260))) {
            assertThat(fields(Route.of("shop", "web").withHttps(false, bad))).as(bad).containsExactly("routes[0].hsts");
        }
        assertThat(fields(Route.of("shop", "web").withHttps(false, "max-age=0"))).isEmpty();
    }
}
