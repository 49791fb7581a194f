package io.ballast.model.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ballast.model.RateLimit;
import io.ballast.model.Route;
import io.ballast.model.json.BallastJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitValidationTest {
    private final ModelValidator validator = ModelValidator.withDefaults();

    private List<String> fields(Route route) {
        return validator.route(route, "routes[0].").stream().map(Violation::field).toList();
    }

    @Test
    void defaultsAreBurstEqualToTheRateSourceIpAndFleet() throws Exception {
        Route route = BallastJson.strict().readValue("{\"name\":\"api\",\"pool\":\"web\",\"rateLimit\":{\"requestsPerSecond\":20}}", Route.class);
        assertThat(route.rateLimit()).isEqualTo(new RateLimit(20, 20, "source-ip", RateLimit.Scope.FLEET));
        assertThat(fields(route)).isEmpty();
        String json = BallastJson.canonical().writeValueAsString(route);
        assertThat(json).contains("\"rateLimit\":{\"burst\":20,\"key\":\"source-ip\",\"requestsPerSecond\":20,\"scope\":\"fleet\"}");
        assertThat(BallastJson.strict().readValue(json, Route.class)).isEqualTo(route);
    }

    @Test
    void aRouteWithoutARateLimitKeepsItsCanonicalForm() throws Exception {
        assertThat(BallastJson.canonical().writeValueAsString(Route.of("site", "web"))).doesNotContain("rateLimit");
    }

    @Test
    void yamlTakesAHeaderKeyAndNodeScope() throws Exception {
        Route route = BallastJson.yaml().readValue("""
                name: api
                pool: web
                rateLimit: {requestsPerSecond: 5, burst: 10, key: "header:X-Api-Key", scope: node}
                """, Route.class);
        assertThat(route.rateLimit().scope()).isEqualTo(RateLimit.Scope.NODE);
        assertThat(route.rateLimit().headerName()).isEqualTo("x-api-key");
        assertThat(fields(route)).isEmpty();
    }

    @Test
    void badValuesNameTheirField() {
        Route base = Route.of("api", "web");
        assertThat(fields(base.withRateLimit(new RateLimit(null, 5, null, null)))).containsExactly("routes[0].rateLimit.requestsPerSecond");
        assertThat(fields(base.withRateLimit(new RateLimit(0, null, null, null))))
                .containsExactly("routes[0].rateLimit.requestsPerSecond", "routes[0].rateLimit.burst");
        assertThat(fields(base.withRateLimit(new RateLimit(10, 0, null, null)))).containsExactly("routes[0].rateLimit.burst");
        assertThat(fields(base.withRateLimit(new RateLimit(2_000_000, 10, null, null)))).containsExactly("routes[0].rateLimit.requestsPerSecond");
        assertThat(fields(base.withRateLimit(new RateLimit(10, null, "cookie", null)))).containsExactly("routes[0].rateLimit.key");
        assertThat(fields(base.withRateLimit(new RateLimit(10, null, "header:", null)))).containsExactly("routes[0].rateLimit.key");
        assertThat(fields(base.withRateLimit(new RateLimit(10, null, "header:X Bad", null)))).containsExactly("routes[0].rateLimit.key");
        assertThat(fields(base.withRateLimit(new RateLimit(10, null, "header:X-Api\r\nKey", null)))).containsExactly("routes[0].rateLimit.key");
    }

    @Test
    void anUnknownScopeIsRefusedWhenRead() {
        assertThatThrownBy(() -> BallastJson.strict().readValue(
                "{\"name\":\"api\",\"pool\":\"web\",\"rateLimit\":{\"requestsPerSecond\":5,\"scope\":\"planet\"}}", Route.class))
                .hasMessageContaining("fleet, node");
    }
}
