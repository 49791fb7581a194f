package io.ballast.dataplane.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.testing.Configs;
import io.ballast.dataplane.testing.TestBackend;
import io.ballast.model.HealthCheck;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The checker with real probes against a real backend. */
class HealthCheckerIntegrationTest {
    private Vertx vertx;
    private Probes probes;
    private HealthChecker checker;
    private TestBackend backend;
    private final List<HealthChecker.TargetTransition> transitions = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        probes = new Probes(vertx);
        checker = new HealthChecker(vertx, probes, () -> 0.5, transitions::add);
        backend = TestBackend.start(vertx, "x");
    }

    @AfterEach
    void stop() throws Exception {
        checker.close();
        probes.close().await(5, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private HealthTarget target(HealthCheck check) {
        return new HealthTarget("p/127.0.0.1:" + backend.port(), "p", "x", "127.0.0.1", backend.port(), check,
                new HealthStatus(HealthState.INITIAL, new AtomicLong(), System::currentTimeMillis));
    }

    private static HealthCheck withType(String type, String path, String expected) {
        HealthCheck f = Configs.FAST_CHECK;
        return new HealthCheck(type, null, path, null, expected, f.interval(), f.timeout(), f.healthyThreshold(),
                f.unhealthyThreshold(), f.transitionInterval(), null);
    }

    @Test
    void httpChecksFollowTheBackendDownAndUp() throws Exception {
        HealthTarget t = target(Configs.FAST_CHECK);
        checker.reconcile(List.of(t));
        await().atMost(Duration.ofSeconds(5)).until(() -> t.status().state() == HealthState.HEALTHY);
        backend.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> t.status().state() == HealthState.UNHEALTHY);
        assertThat(t.status().reason()).isEqualTo("unhealthy:ConnectionRefused");
        backend.restart();
        await().atMost(Duration.ofSeconds(5)).until(() -> t.status().state() == HealthState.HEALTHY);
        assertThat(transitions).extracting(x -> x.transition().to())
                .containsExactly(HealthState.HEALTHY, HealthState.UNHEALTHY, HealthState.HEALTHY);
    }

    @Test
    void anUnexpectedStatusIsAResponseCodeMismatch() {
        HealthTarget t = target(withType("http", "/healthz", "204"));
        checker.reconcile(List.of(t));
        await().atMost(Duration.ofSeconds(5)).until(() -> t.status().state() == HealthState.UNHEALTHY);
        assertThat(t.status().reason()).isEqualTo("unhealthy:ResponseCodeMismatch");
    }

    @Test
    void tcpChecksOnlyNeedAConnection() throws Exception {
        HealthTarget t = target(withType("tcp", "/does-not-matter", "500"));
        checker.reconcile(List.of(t));
        await().atMost(Duration.ofSeconds(5)).until(() -> t.status().state() == HealthState.HEALTHY);
        backend.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> t.status().state() == HealthState.UNHEALTHY);
    }

    @Test
    void reconcileStopsLoopsOfRemovedTargets() throws Exception {
        HealthTarget t = target(Configs.FAST_CHECK);
        checker.reconcile(List.of(t));
        await().atMost(Duration.ofSeconds(5)).until(() -> t.status().state() == HealthState.HEALTHY);
        checker.reconcile(List.of());
        assertThat(checker.size()).isZero();
        backend.stop();
        Thread.sleep(800);
        assertThat(t.status().state()).isEqualTo(HealthState.HEALTHY);
    }
}
