package io.ballast.dataplane.routing;

import static io.ballast.dataplane.testing.Configs.pool;
import static io.ballast.dataplane.testing.DataPlaneFixture.apply;
import static io.ballast.dataplane.testing.DataPlaneFixture.health;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.config.ApplyResult;
import io.ballast.dataplane.health.HealthState;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.testing.TestBackend;
import io.ballast.dataplane.testing.TestClient;
import io.ballast.model.RequestMatch;
import io.ballast.model.RequestMatch.HeaderMatch;
import io.ballast.model.RequestMatch.QueryMatch;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Route conditions through a real data plane to real backends: each request reaches the pool its route names. */
class RouteMatchingIntegrationTest {
    @TempDir
    Path dir;

    private Vertx vertx;
    private DataPlane dp;
    private TestClient client;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        TestBackend main = TestBackend.start(vertx, "main");
        TestBackend canary = TestBackend.start(vertx, "canary");
        TestBackend api = TestBackend.start(vertx, "api");
        dp = DataPlaneFixture.start(DataPlaneSettings.forTesting("match-test", dir));
        client = new TestClient(DataPlaneFixture.proxyPort(dp));
        List<Route> routes = List.of(
                Route.of("site", "main"),
                Route.of("beta", "canary").withMatch(new RequestMatch(null,
                        List.of(new HeaderMatch("X-Beta", "on", null, null, null, null)), null)),
                Route.of("debug", "canary").withMatch(new RequestMatch(null, null, List.of(new QueryMatch("canary", null, null, true)))),
                // API.md ranks any matching prefix (the default / too) above a regex, so this one has a host of its own.
                Route.of("writes", "api").withHosts(List.of("api.example.com")).withPathRegex("/items/[0-9]+").withMatch(new RequestMatch(List.of("PUT", "DELETE"), null, null)),
                Route.of("exact", "api").withPathExact("/status"));
        assertThat(apply(dp, 1, new ConfigSnapshot(List.of(pool("main", main), pool("canary", canary), pool("api", api)), routes)))
                .isInstanceOf(ApplyResult.Applied.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> health(dp, "main", "main") == HealthState.HEALTHY
                && health(dp, "canary", "canary") == HealthState.HEALTHY && health(dp, "api", "api") == HealthState.HEALTHY);
    }

    @AfterEach
    void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private String body(HttpMethod method, String uri, Map<String, String> headers) throws Exception {
        TestClient.Response r = client.send(method, uri, headers, method == HttpMethod.PUT ? "x" : null);
        assertThat(r.status()).as("%s %s", method, uri).isEqualTo(200);
        return r.body();
    }

    @Test
    void eachRequestReachesThePoolOfItsMostSpecificRoute() throws Exception {
        assertThat(body(HttpMethod.GET, "/", Map.of())).isEqualTo("main");
        assertThat(body(HttpMethod.GET, "/", Map.of("X-Beta", "on"))).isEqualTo("canary");
        assertThat(body(HttpMethod.GET, "/", Map.of("X-Beta", "off"))).isEqualTo("main");
        assertThat(body(HttpMethod.GET, "/page?canary", Map.of())).isEqualTo("canary");
        Map<String, String> api = Map.of("Host", "api.example.com");
        assertThat(body(HttpMethod.PUT, "/items/42", api)).isEqualTo("api");
        assertThat(body(HttpMethod.GET, "/items/42", api)).as("method not listed: on to the * routes").isEqualTo("main");
        assertThat(body(HttpMethod.PUT, "/items/4x", api)).as("regex must match the whole path").isEqualTo("main");
        assertThat(body(HttpMethod.GET, "/status", Map.of())).isEqualTo("api");
        assertThat(body(HttpMethod.GET, "/status/more", Map.of())).isEqualTo("main");
    }
}
