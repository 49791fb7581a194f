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
import io.ballast.model.RouteActions.DirectResponse;
import io.ballast.model.RouteActions.HeaderEdits;
import io.ballast.model.RouteActions.PathRegex;
import io.ballast.model.RouteActions.Redirect;
import io.ballast.model.RouteActions.Rewrite;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.snapshot.SnapshotValidator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redirects, fixed responses, rewrites and header edits through a real data plane and a real echo backend. */
class RouteActionsIntegrationTest {
    @TempDir
    Path dir;

    private Vertx vertx;
    private DataPlane dp;
    private TestClient client;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        TestBackend echo = TestBackend.start(vertx, "echo");
        dp = DataPlaneFixture.start(DataPlaneSettings.forTesting("actions-test", dir));
        client = new TestClient(DataPlaneFixture.proxyPort(dp));
        List<Route> routes = List.of(
                Route.of("site", "web"),
                Route.of("moved", null).withPathPrefix("/old/")
                        .withRedirect(new Redirect("https", "new.example.com", null, null, "/new/", 308)),
                Route.of("port", null).withPathExact("/other-port").withRedirect(new Redirect(null, null, 8443, "/landing", null, null)),
                Route.of("teapot", null).withPathExact("/teapot")
                        .withDirectResponse(new DirectResponse(418, "short and stout", null))
                        .withHeaders(null, new HeaderEdits(Map.of("X-Served-By", "ballast ${scheme}"), null, null)),
                Route.of("legacy", "web").withPathPrefix("/legacy").withRewrite(new Rewrite("/echo", null, "backend.internal")),
                Route.of("versioned", "web").withPathPrefix("/v2/")
                        .withRewrite(new Rewrite(null, new PathRegex("^/v[0-9]+/", "/"), null)),
                Route.of("edited", "web").withPathExact("/echo").withHeaders(
                        new HeaderEdits(Map.of("X-Client", "${client_ip}", "X-Id", "id=${request_id}", "X-Orig-Host", "${host}"),
                                Map.of("X-Added", "1"), List.of("X-Secret")),
                        new HeaderEdits(Map.of("Cache-Control", "no-store"), Map.of("X-Route", "edited"), List.of("Content-Type"))));
        ConfigSnapshot snapshot = new ConfigSnapshot(List.of(pool("web", echo)), routes);
        assertThat(SnapshotValidator.withDefaults().validate(snapshot)).isEmpty();
        assertThat(apply(dp, 1, snapshot)).isInstanceOf(ApplyResult.Applied.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> health(dp, "web", "echo") == HealthState.HEALTHY);
    }

    @AfterEach
    void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aRedirectKeepsTheQueryAndRewritesTheMatchedPrefix() throws Exception {
        TestClient.Response r = client.send(HttpMethod.GET, "/old/page?a=1", Map.of("Host", "shop.example.com:8080"), null);
        assertThat(r.status()).isEqualTo(308);
        assertThat(r.headers().get("Location")).isEqualTo("https://new.example.com/new/page?a=1");
        assertThat(r.body()).isEmpty();
        TestClient.Response port = client.send(HttpMethod.GET, "/other-port", Map.of("Host", "shop.example.com:8080"), null);
        assertThat(port.status()).as("code defaults to 301").isEqualTo(301);
        assertThat(port.headers().get("Location")).isEqualTo("http://shop.example.com:8443/landing");
    }

    @Test
    void aDirectResponseIsAnsweredByTheDataPlaneWithItsResponseHeaders() throws Exception {
        TestClient.Response r = client.get("/teapot");
        assertThat(r.status()).isEqualTo(418);
        assertThat(r.body()).isEqualTo("short and stout");
        assertThat(r.headers().get("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.headers().get("X-Served-By")).isEqualTo("ballast http");
    }

    @Test
    void rewritesChangePathAndHostForTheBackend() throws Exception {
        JsonObject prefix = client.send(HttpMethod.GET, "/legacy?q=2", Map.of("Host", "shop.example.com"), null).json();
        assertThat(prefix.getString("uri")).isEqualTo("/echo?q=2");
        assertThat(prefix.getJsonObject("headers").getString("host")).isEqualTo("backend.internal");
        assertThat(prefix.getJsonObject("headers").getString("x-forwarded-host")).as("the client's host is still passed on")
                .isEqualTo("shop.example.com");
        JsonObject regex = client.get("/v2/echo").json();
        assertThat(regex.getString("uri")).isEqualTo("/echo");
    }

    @Test
    void requestAndResponseHeadersAreEditedWithVariables() throws Exception {
        TestClient.Response r = client.send(HttpMethod.GET, "/echo",
                Map.of("Host", "shop.example.com", "X-Secret", "s", "X-Added", "0", "X-Request-Id", "req-7"), null);
        JsonObject headers = r.json().getJsonObject("headers");
        assertThat(headers.getString("x-client")).isEqualTo("127.0.0.1");
        assertThat(headers.getString("x-id")).isEqualTo("id=req-7");
        assertThat(headers.getString("x-orig-host")).isEqualTo("shop.example.com");
        assertThat(headers.containsKey("x-secret")).isFalse();
        assertThat(r.headers().get("Cache-Control")).isEqualTo("no-store");
        assertThat(r.headers().get("X-Route")).isEqualTo("edited");
        assertThat(r.headers().get("Content-Type")).as("removed from the response").isNull();
    }
}
