package io.ballast.dataplane.proxy;

import static io.ballast.dataplane.testing.Configs.pool;
import static io.ballast.dataplane.testing.Configs.route;
import static io.ballast.dataplane.testing.Configs.snapshot;
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
import io.ballast.wire.v1.Heartbeat;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-pool and per-backend counters that heartbeats carry to the control plane's traffic charts. */
class PerTargetCountersIntegrationTest {
    @TempDir
    Path cacheDir;

    private Vertx backendsVertx;
    private DataPlane dp;

    @AfterEach
    void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
        backendsVertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void countsRequestsAndServerErrorsPerPoolAndPerBackend() throws Exception {
        backendsVertx = Vertx.vertx();
        TestBackend a = TestBackend.start(backendsVertx, "a");
        TestBackend b = TestBackend.start(backendsVertx, "b");
        dp = DataPlaneFixture.start(DataPlaneSettings.forTesting("counters-test", cacheDir));
        assertThat(apply(dp, 1, snapshot(List.of(pool("web", a, b), pool("empty")),
                List.of(route("site", "web"), route("nothing", "empty").withPathPrefix("/empty")))))
                .isInstanceOf(ApplyResult.Applied.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> health(dp, "web", "a") == HealthState.HEALTHY
                && health(dp, "web", "b") == HealthState.HEALTHY);

        try (TestClient client = new TestClient(DataPlaneFixture.proxyPort(dp))) {
            for (int i = 0; i < 10; i++) {
                assertThat(client.get("/").status()).isEqualTo(200);
            }
            // A pool without backends answers 503 itself: an error of the pool, of no backend.
            assertThat(client.get("/empty").status()).isEqualTo(503);
            // A refused attempt on b is retried on a: b has an error, the pool answered 200.
            b.stop();
            for (int i = 0; i < 2; i++) {
                assertThat(client.get("/").status()).isEqualTo(200);
            }
        }

        Map<String, Heartbeat.TargetCounters> c = dp.metrics().targets();
        assertThat(c.get("web").requests()).isEqualTo(12L);
        assertThat(c.get("web").responses5xx()).isZero();
        assertThat(c.get("empty").requests()).isEqualTo(1L);
        assertThat(c.get("empty").responses5xx()).isEqualTo(1L);
        // Round robin sends at least one of the last two requests to b first; each refusal costs one extra attempt.
        long bErrors = c.get("web/b").responses5xx();
        assertThat(bErrors).isBetween(1L, 2L);
        assertThat(c.get("web/a").requests() + c.get("web/b").requests()).isEqualTo(12L + bErrors);
        assertThat(c.get("web/a").requests()).isEqualTo(7L);
        assertThat(c.get("web/a").responses5xx()).isZero();
        // The data plane's own counters no longer carry each target's under string keys.
        assertThat(dp.metrics().counters().keySet()).noneMatch(k -> k.contains(":"));
    }
}
