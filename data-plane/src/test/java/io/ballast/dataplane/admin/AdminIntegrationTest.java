package io.ballast.dataplane.admin;

import static io.ballast.dataplane.testing.Configs.pool;
import static io.ballast.dataplane.testing.Configs.route;
import static io.ballast.dataplane.testing.Configs.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.testing.TestBackend;
import io.ballast.dataplane.testing.TestClient;
import io.ballast.model.AdminState;
import io.ballast.model.Backend;
import io.ballast.model.Pool;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminIntegrationTest {
    @TempDir
    Path cacheDir;

    private Vertx vertx;
    private TestBackend a;
    private TestBackend b;
    private DataPlane dp;
    private TestClient admin;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        a = TestBackend.start(vertx, "a");
        b = TestBackend.start(vertx, "b");
        dp = DataPlaneFixture.start(DataPlaneSettings.forTesting("admin-test", cacheDir));
        admin = new TestClient(dp.adminAddress().port());
    }

    @AfterEach
    void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void liveAlwaysReadyOnlyWithAConfig() throws Exception {
        assertThat(admin.get("/live").status()).isEqualTo(200);
        assertThat(admin.get("/ready").status()).isEqualTo(503);
        DataPlaneFixture.apply(dp, 1, snapshot(List.of(pool("web", a)), List.of(route("site", "web"))));
        assertThat(admin.get("/ready").status()).isEqualTo(200);
        assertThat(admin.get("/nope").status()).isEqualTo(404);
    }

    @Test
    void statusShowsEveryBackendWithItsStates() throws Exception {
        JsonObject empty = admin.get("/status").json();
        assertThat(empty.getString("nodeId")).isEqualTo("admin-test");
        assertThat(empty.getValue("appliedRevision")).isNull();
        assertThat(empty.getJsonObject("controlPlane").getBoolean("connected")).isFalse();
        assertThat(empty.getJsonArray("pools")).isEmpty();

        Pool web = pool("web", a, b);
        Backend drained = web.backends().get(1).withAdminState(AdminState.DRAINING);
        ConfigSnapshot config = snapshot(List.of(web.withBackends(List.of(web.backends().get(0), drained))),
                List.of(route("site", "web")));
        DataPlaneFixture.apply(dp, 3, config);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                admin.get("/status").json().getJsonArray("pools").getJsonObject(0).getJsonArray("backends")
                        .getJsonObject(1).getString("health").equals("healthy"));
        JsonObject status = admin.get("/status").json();
        assertThat(status.getLong("appliedRevision")).isEqualTo(3);
        assertThat(status.getString("appliedHash")).isEqualTo(config.hash());
        JsonObject pool = status.getJsonArray("pools").getJsonObject(0);
        assertThat(pool.getString("name")).isEqualTo("web");
        JsonObject backendB = pool.getJsonArray("backends").getJsonObject(1);
        assertThat(backendB.getString("name")).isEqualTo("b");
        assertThat(backendB.getString("address")).isEqualTo("127.0.0.1:" + b.port());
        assertThat(backendB.getString("adminState")).isEqualTo("draining");
        assertThat(backendB.getInteger("inFlight")).isZero();

        // A draining backend is healthy but takes no new requests.
        TestClient proxy = new TestClient(DataPlaneFixture.proxyPort(dp));
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.get("/").status() == 200);
        for (int i = 0; i < 6; i++) {
            assertThat(proxy.get("/").body()).isEqualTo("a");
        }
    }

    @Test
    void healthSurvivesASwapForUnchangedAddresses() throws Exception {
        DataPlaneFixture.apply(dp, 1, snapshot(List.of(pool("web", a, b)), List.of(route("site", "web"))));
        await().atMost(Duration.ofSeconds(10)).until(() -> DataPlaneFixture.health(dp, "web", "b").wireName().equals("healthy"));
        Pool reweighted = pool("web", a, b);
        reweighted = reweighted.withBackends(List.of(reweighted.backends().get(0), reweighted.backends().get(1).withWeight(50).withName("renamed-b")));
        DataPlaneFixture.apply(dp, 2, snapshot(List.of(reweighted), List.of(route("site", "web"))));
        // No INITIAL gap: the same address keeps its state at once.
        assertThat(DataPlaneFixture.health(dp, "web", "renamed-b").wireName()).isEqualTo("healthy");
    }

    @Test
    void metricsAreInPrometheusTextFormat() throws Exception {
        DataPlaneFixture.apply(dp, 1, snapshot(List.of(pool("web", a)), List.of(route("site", "web"))));
        TestClient proxy = new TestClient(DataPlaneFixture.proxyPort(dp));
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.get("/").status() == 200);
        TestClient.Response metrics = admin.get("/metrics");
        assertThat(metrics.headers().get("Content-Type")).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body())
                .contains("# TYPE ballast_requests_total counter")
                .containsPattern("ballast_responses_total\\{class=\"2xx\"} [1-9]")
                .contains("ballast_backend_up{pool=\"web\",backend=\"a\"} 1")
                .contains("ballast_config_revision 1")
                .doesNotContain("ballast_backend_in_flight", "ballast_backend_healthy");
    }
}
