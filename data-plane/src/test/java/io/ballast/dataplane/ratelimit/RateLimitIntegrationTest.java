package io.ballast.dataplane.ratelimit;

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
import io.ballast.model.RateLimit;
import io.ballast.model.Route;
import io.ballast.model.RouteActions.DirectResponse;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.snapshot.SnapshotValidator;
import io.ballast.wire.v1.RateLimitShare;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Route rate limits through a real data plane, a real client socket and a real echo backend. */
class RateLimitIntegrationTest {
    @TempDir
    Path dir;

    private Vertx vertx;
    private DataPlane dp;
    private TestClient client;
    private TestClient admin;
    private ConfigSnapshot snapshot;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        TestBackend echo = TestBackend.start(vertx, "echo");
        dp = DataPlaneFixture.start(DataPlaneSettings.forTesting("ratelimit-test", dir));
        client = new TestClient(DataPlaneFixture.proxyPort(dp));
        admin = new TestClient(dp.adminAddress().port());
        List<Route> routes = List.of(
                Route.of("open", "web").withHosts(List.of("open.test")),
                Route.of("node", "web").withHosts(List.of("node.test")).withRateLimit(new RateLimit(1, 3, null, RateLimit.Scope.NODE)),
                Route.of("keyed", "web").withHosts(List.of("keyed.test"))
                        .withRateLimit(new RateLimit(1, 2, "header:X-Api-Key", RateLimit.Scope.NODE)),
                Route.of("fleet", "web").withHosts(List.of("fleet.test")).withRateLimit(new RateLimit(1, 4, null, null)),
                Route.of("fixed", null).withHosts(List.of("fixed.test"))
                        .withDirectResponse(new DirectResponse(200, "hello", null))
                        .withRateLimit(new RateLimit(1, 1, null, RateLimit.Scope.NODE)));
        snapshot = new ConfigSnapshot(List.of(pool("web", echo)), routes);
        assertThat(SnapshotValidator.withDefaults().validate(snapshot)).isEmpty();
        assertThat(apply(dp, 1, snapshot)).isInstanceOf(ApplyResult.Applied.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> health(dp, "web", "echo") == HealthState.HEALTHY);
    }

    @AfterEach
    void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private List<TestClient.Response> burst(String host, Map<String, String> extra, int n) throws Exception {
        List<TestClient.Response> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, String> headers = new java.util.HashMap<>(extra);
            headers.put("Host", host);
            out.add(client.send(HttpMethod.GET, "/echo", headers, null));
        }
        return out;
    }

    /** Admitted answers among {@code n} sent in a row: the burst, plus at most what 1 rps refills meanwhile. */
    private long admitted(String host, Map<String, String> headers, int n, int burst) throws Exception {
        long started = System.nanoTime();
        long ok = burst(host, headers, n).stream().filter(r -> r.status() == 200).count();
        long refilled = (System.nanoTime() - started) / 1_000_000_000L + 1;
        assertThat(ok).as(host).isBetween((long) Math.min(n, burst), burst + refilled);
        return ok;
    }

    @Test
    void overTheLimitIsA429WithRetryAfterAndTheRateLimitFields() throws Exception {
        List<TestClient.Response> answers = burst("node.test", Map.of(), 8);
        assertThat(answers.subList(0, 3)).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        TestClient.Response refused = answers.get(answers.size() - 1);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(Integer.parseInt(refused.headers().get("Retry-After"))).isBetween(1, 1);
        assertThat(refused.headers().get("RateLimit-Policy")).isEqualTo("\"node\";q=3;w=3");
        assertThat(refused.headers().get("RateLimit")).isEqualTo("\"node\";r=0;t=1");
        assertThat(refused.headers().get("Content-Type")).isEqualTo("application/problem+json");
        assertThat(refused.json().getInteger("status")).isEqualTo(429);
        assertThat(answers.get(0).headers().get("RateLimit")).as("admitted answers carry no rate-limit fields").isNull();
        long refusedCount = answers.stream().filter(r -> r.status() == 429).count();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(admin.get("/metrics").body())
                .contains("ballast_rate_limited_total{route=\"node\"} " + refusedCount)
                .contains("ballast_rate_limit_share{route=\"node\"} 1.0"));
        Thread.sleep(1_100);
        assertThat(burst("node.test", Map.of(), 1).get(0).status()).as("a token came back after Retry-After").isEqualTo(200);
    }

    @Test
    void aRouteWithoutALimitIsNeverRefused() throws Exception {
        assertThat(burst("open.test", Map.of(), 30)).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(admin.get("/metrics").body()).doesNotContain("route=\"open\"");
    }

    @Test
    void aHeaderKeyLimitsEachValueAndARequestWithoutItByItsAddress() throws Exception {
        admitted("keyed.test", Map.of("X-Api-Key", "alice"), 6, 2);
        admitted("keyed.test", Map.of("X-Api-Key", "bob"), 6, 2);
        admitted("keyed.test", Map.of(), 6, 2);
    }

    @Test
    void aFleetLimitEnforcesTheWholeLimitBeforeAShareAndTheShareAfter() throws Exception {
        admitted("fleet.test", Map.of("X-Ignored", "1"), 10, 4);
        dp.fleetShare().set(RateLimitShare.among(2));
        assertThat(admin.get("/metrics").body()).contains("ballast_rate_limit_share{route=\"fleet\"} 0.5");
        // The client's bucket is empty; at half the rate (0.5 rps) half the burst (2) is back after 4 s.
        Thread.sleep(4_100);
        long started = System.nanoTime();
        long ok = burst("fleet.test", Map.of(), 8).stream().filter(r -> r.status() == 200).count();
        long refilled = (long) ((System.nanoTime() - started) / 2_000_000_000.0) + 1;
        assertThat(ok).isBetween(2L, 2 + refilled);
    }

    @Test
    void aRouteThatAnswersItselfIsLimitedToo() throws Exception {
        List<TestClient.Response> answers = burst("fixed.test", Map.of(), 3);
        assertThat(answers.get(0).status()).isEqualTo(200);
        assertThat(answers.get(0).body()).isEqualTo("hello");
        assertThat(answers.get(2).status()).isEqualTo(429);
    }

    @Test
    void aNewSnapshotWithTheSameLimitDoesNotRefillTheBuckets() throws Exception {
        assertThat(burst("node.test", Map.of(), 5).get(4).status()).isEqualTo(429);
        ConfigSnapshot next = new ConfigSnapshot(snapshot.pools(), new ArrayList<>(snapshot.routes()) {{
            add(Route.of("extra", "web").withHosts(List.of("extra.test")));
        }});
        assertThat(apply(dp, 2, next)).isInstanceOf(ApplyResult.Applied.class);
        assertThat(burst("node.test", Map.of(), 1).get(0).status()).isEqualTo(429);
    }
}
