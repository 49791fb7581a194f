package io.ballast.dataplane.upstream;

import static io.ballast.dataplane.testing.DataPlaneFixture.apply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.health.HealthState;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.Configs;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.testing.ScriptedBackend;
import io.ballast.dataplane.testing.SteadyLoad;
import io.ballast.dataplane.testing.TestClient;
import io.ballast.model.Backend;
import io.ballast.model.HealthCheck;
import io.ballast.model.OutlierDetection;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Active and passive health, panic mode and retries working together in a real data plane, with real
 * backends that are killed, answer 500, or flap.
 */
class HealthIntegrationTest {
    /** Probes every 400 ms, 3 failures to go out: out of rotation within 1.2 s of a crash at the latest. */
    private static final HealthCheck CHECK = new HealthCheck(null, null, "/healthz", null, null,
            Duration.ofMillis(400), Duration.ofMillis(300), 2, 3, Duration.ofMillis(100), null);

    @TempDir
    Path cacheDir;

    private Vertx backendsVertx;
    private DataPlane dp;
    private final List<ScriptedBackend> backends = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        backendsVertx = Vertx.vertx();
        dp = DataPlaneFixture.start(DataPlaneSettings.forTesting("health-test", cacheDir));
    }

    @AfterEach
    void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
        backendsVertx.close().await(10, TimeUnit.SECONDS);
    }

    private List<ScriptedBackend> backends(String... names) throws Exception {
        for (String name : names) {
            backends.add(ScriptedBackend.start(backendsVertx, name));
        }
        return backends;
    }

    private void applyPool(OutlierDetection outliers, int panicPercent, ScriptedBackend... members) throws Exception {
        List<Backend> list = Arrays.stream(members).map(b -> Backend.of("127.0.0.1", b.port()).withName(b.name())).toList();
        Pool pool = Pool.builder("web").healthCheck(CHECK).outlierDetection(outliers).panicThresholdPercent(panicPercent).backends(list).build();
        apply(dp, 1, Configs.snapshot(List.of(pool), List.of(Route.of("site", "web"))));
        for (ScriptedBackend b : members) {
            await().atMost(Duration.ofSeconds(10)).until(() -> member(b.name()).live().health().state() != HealthState.INITIAL);
        }
    }

    private Member member(String name) {
        return pool().members().stream().filter(m -> m.backend().name().equals(name)).findFirst().orElseThrow();
    }

    private UpstreamPool pool() {
        return dp.config().current().table().pool("web");
    }

    private HealthReporter.Reported reported(String name) {
        return HealthReporter.reported(member(name), System.currentTimeMillis());
    }

    @Test
    void aBackendKilledUnderLoadFailsNoRequestAndLeavesRotationWithinTheThresholds() throws Exception {
        List<ScriptedBackend> bs = backends("a", "b", "c");
        applyPool(null, 50, bs.toArray(ScriptedBackend[]::new));
        ScriptedBackend victim = bs.get(1);
        // 200 requests/s for 4 s; the kill comes after 1 s.
        try (SteadyLoad load = new SteadyLoad(DataPlaneFixture.proxyPort(dp), "/", 200, 800)) {
            Thread.sleep(1_000);
            assertThat(victim.requests()).as("the victim took traffic before the kill").isPositive();
            long killedAt = System.nanoTime();
            victim.kill();
            long deadline = killedAt + CHECK.interval().multipliedBy(CHECK.unhealthyThreshold()).toNanos();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> !member("b").eligible(System.currentTimeMillis()));
            long outAt = System.nanoTime();
            assertThat(outAt).as("out of rotation within interval × unhealthy threshold").isLessThanOrEqualTo(deadline);
            load.await(30);
            assertThat(load.failed()).as("failed client requests; statuses %s, errors %d", load.statuses(), load.errors()).isZero();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> member("b").live().health().state() == HealthState.UNHEALTHY);
        assertThat(reported("b").reason()).isEqualTo("unhealthy:ConnectionRefused");
        assertThat(dp.metrics().counters().get("retries")).isPositive();
    }

    @Test
    void aBackendAnswering500IsEjectedAndReturnsAfterTheEjectionTimeOnceHealthy() throws Exception {
        List<ScriptedBackend> bs = backends("a", "b");
        applyPool(new OutlierDetection(3, null, Duration.ofMillis(1500), 50), 0, bs.toArray(ScriptedBackend[]::new));
        ScriptedBackend bad = bs.get(1);
        bad.answerTraffic(500);
        TestClient client = new TestClient(DataPlaneFixture.proxyPort(dp));
        int fiveHundreds = 0;
        for (int i = 0; i < 20 && !member("b").live().health().ejected(System.currentTimeMillis()); i++) {
            if (client.get("/").status() == 500) {
                fiveHundreds++;
            }
        }
        assertThat(fiveHundreds).as("500s passed on before the ejection").isEqualTo(3);
        assertThat(reported("b")).isEqualTo(new HealthReporter.Reported("ejected", "ejected:Consecutive5xx"));
        assertThat(member("b").live().health().state()).as("active checks still pass").isEqualTo(HealthState.HEALTHY);

        int servedWhileEjected = bad.requests();
        bad.answerTraffic(200);
        for (int i = 0; i < 10; i++) {
            assertThat(client.get("/").body()).isEqualTo("a");
        }
        assertThat(bad.requests()).as("no traffic while ejected").isEqualTo(servedWhileEjected);

        await().atMost(Duration.ofSeconds(5)).until(() -> member("b").eligible(System.currentTimeMillis()));
        List<String> after = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            after.add(client.get("/").body());
        }
        assertThat(after).contains("a", "b");
        assertThat(reported("b")).isEqualTo(new HealthReporter.Reported("healthy", "healthy"));
        assertThat(member("b").live().health().ejections()).isEqualTo(1);
    }

    @Test
    void aFlappingBackendIsDampedByTheThresholds() throws Exception {
        List<ScriptedBackend> bs = backends("a", "b");
        applyPool(null, 0, bs.toArray(ScriptedBackend[]::new));
        ScriptedBackend flapper = bs.get(1);
        flapper.answerHealth(503);
        await().atMost(Duration.ofSeconds(5)).until(() -> member("b").live().health().state() == HealthState.UNHEALTHY);
        long transitions = member("b").live().stats().transitions();
        flapper.flap();
        // Pass, fail, pass, fail …: never the 2 passes in a row that bringing it back needs.
        Thread.sleep(2_500);
        assertThat(member("b").live().health().state()).isEqualTo(HealthState.UNHEALTHY);
        assertThat(member("b").live().stats().transitions()).as("reported changes while flapping").isEqualTo(transitions);
    }

    @Test
    void belowThePanicThresholdTrafficSpreadsOverEveryEnabledBackend() throws Exception {
        List<ScriptedBackend> bs = backends("a", "b", "c", "d");
        for (ScriptedBackend b : bs.subList(1, 4)) {
            b.answerHealth(503);
        }
        applyPool(null, 50, bs.toArray(ScriptedBackend[]::new));
        await().atMost(Duration.ofSeconds(5)).until(() -> pool().panic());
        TestClient client = new TestClient(DataPlaneFixture.proxyPort(dp));
        for (int i = 0; i < 40; i++) {
            assertThat(client.get("/").status()).isEqualTo(200);
        }
        for (ScriptedBackend b : bs) {
            assertThat(b.requests()).as("requests to %s", b.name()).isGreaterThanOrEqualTo(8);
        }
        String metrics = dp.metrics().prometheus(dp.config().current());
        assertThat(metrics).contains("ballast_pool_panic{pool=\"web\"} 1", "ballast_backend_up{pool=\"web\",backend=\"b\"} 0",
                "ballast_backend_up{pool=\"web\",backend=\"a\"} 1",
                "ballast_backend_requests_total{pool=\"web\",backend=\"a\",code_class=\"2xx\"}",
                "ballast_backend_request_duration_seconds_bucket{pool=\"web\",backend=\"a\",le=\"+Inf\"}",
                "ballast_backend_active_requests{pool=\"web\",backend=\"a\"} 0",
                "ballast_backend_health_transitions_total{pool=\"web\",backend=\"b\"}");

        // Healthy again: panic ends and the survivors-only rule is back.
        for (ScriptedBackend b : bs.subList(1, 4)) {
            b.answerHealth(200);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !pool().panic());
        assertThat(dp.metrics().prometheus(dp.config().current())).contains("ballast_pool_panic{pool=\"web\"} 0");
    }
}
