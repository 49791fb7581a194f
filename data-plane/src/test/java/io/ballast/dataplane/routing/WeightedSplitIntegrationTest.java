package io.ballast.dataplane.routing;

import static io.ballast.dataplane.testing.Configs.pool;
import static io.ballast.dataplane.testing.DataPlaneFixture.apply;
import static io.ballast.dataplane.testing.DataPlaneFixture.health;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.config.ApplyResult;
import io.ballast.dataplane.health.HealthState;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.testing.TestBackend;
import io.ballast.dataplane.testing.TestClient;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.WeightedPool;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A weighted split through a real data plane: traffic follows the weights, and the affinity cookie holds a client. */
class WeightedSplitIntegrationTest {
    @TempDir
    Path dir;

    private Vertx vertx;
    private DataPlane dp;
    private TestClient client;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        TestBackend blue = TestBackend.start(vertx, "blue");
        TestBackend green = TestBackend.start(vertx, "green");
        dp = DataPlaneFixture.start(DataPlaneSettings.forTesting("split-test", dir));
        client = new TestClient(DataPlaneFixture.proxyPort(dp));
        Pool bluePool = sticky(pool("blue", blue));
        Pool greenPool = sticky(pool("green", green));
        Route split = Route.of("site", null).withPools(List.of(new WeightedPool("blue", 80), new WeightedPool("green", 20)));
        assertThat(apply(dp, 1, new ConfigSnapshot(List.of(bluePool, greenPool), List.of(split)))).isInstanceOf(ApplyResult.Applied.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> health(dp, "blue", "blue") == HealthState.HEALTHY
                && health(dp, "green", "green") == HealthState.HEALTHY);
    }

    private static Pool sticky(Pool p) {
        return new Pool(p.name(), null, null, null, "lb", p.healthCheck(), null, null, null, null, null, null, null, null, p.backends());
    }

    @AfterEach
    void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void trafficFollowsTheWeightsAndACookieKeepsAClientOnItsPool() throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        String greenCookie = null;
        for (int i = 0; i < 1000; i++) {
            TestClient.Response r = client.get("/");
            assertThat(r.status()).isEqualTo(200);
            counts.merge(r.body(), 1, Integer::sum);
            if (r.body().equals("green") && greenCookie == null) {
                greenCookie = r.headers().get("Set-Cookie").split(";")[0];
            }
        }
        // 1 000 draws: a binomial spread of about ±1.3 % (one sigma) around 80 %.
        assertThat(counts.get("blue") / 1000.0).isCloseTo(0.80, within(0.05));
        assertThat(greenCookie).startsWith("lb=");
        for (int i = 0; i < 50; i++) {
            TestClient.Response r = client.send(HttpMethod.GET, "/", Map.of("Cookie", greenCookie), null);
            assertThat(r.body()).as("request %d with green's cookie", i).isEqualTo("green");
        }
    }
}
