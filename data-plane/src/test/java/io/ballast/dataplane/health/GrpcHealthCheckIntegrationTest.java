package io.ballast.dataplane.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.testing.Configs;
import io.ballast.dataplane.testing.GrpcBackend;
import io.ballast.dataplane.testing.TestBackend;
import io.ballast.model.HealthCheck;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code healthCheck.type: grpc} against a real grpc-java server's {@code grpc.health.v1} service: SERVING is
 * healthy, NOT_SERVING and an unknown service are unhealthy with a reason that says so, and a server without a
 * health service, or one that is not gRPC at all, fails too.
 */
class GrpcHealthCheckIntegrationTest {
    private Vertx vertx;
    private Probes probes;
    private HealthChecker checker;
    private GrpcBackend grpc;
    private final List<HealthChecker.TargetTransition> transitions = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        probes = new Probes(vertx);
        checker = new HealthChecker(vertx, probes, () -> 0.5, transitions::add);
        grpc = GrpcBackend.start("g");
    }

    @AfterEach
    void stop() throws Exception {
        checker.close();
        probes.close().await(5, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
        grpc.close();
    }

    private static HealthCheck grpcCheck(String service) {
        HealthCheck f = Configs.FAST_CHECK;
        return new HealthCheck("grpc", null, null, null, null, f.interval(), f.timeout(), f.healthyThreshold(),
                f.unhealthyThreshold(), f.transitionInterval(), null, service);
    }

    private static HealthTarget target(int port, HealthCheck check) {
        return new HealthTarget("p/127.0.0.1:" + port, "p", "x", "127.0.0.1", port, check,
                new HealthStatus(HealthState.INITIAL, new AtomicLong(), System::currentTimeMillis));
    }

    @Test
    void servingIsHealthyAndNotServingIsUnhealthyWithItsReason() {
        HealthTarget t = target(grpc.port(), grpcCheck(null));
        checker.reconcile(List.of(t));
        await().atMost(Duration.ofSeconds(10)).until(() -> t.status().state() == HealthState.HEALTHY);
        grpc.serving("", ServingStatus.NOT_SERVING);
        await().atMost(Duration.ofSeconds(10)).until(() -> t.status().state() == HealthState.UNHEALTHY);
        assertThat(t.status().reason()).isEqualTo("unhealthy:GrpcNotServing");
        grpc.serving("", ServingStatus.SERVING);
        await().atMost(Duration.ofSeconds(10)).until(() -> t.status().state() == HealthState.HEALTHY);
    }

    @Test
    void theNamedServiceIsWhatIsAskedAbout() {
        grpc.serving("shop.Cart", ServingStatus.SERVING);
        grpc.serving("shop.Billing", ServingStatus.NOT_SERVING);
        HealthTarget cart = target(grpc.port(), grpcCheck("shop.Cart"));
        HealthTarget billing = new HealthTarget("p/billing", "p", "y", "127.0.0.1", grpc.port(), grpcCheck("shop.Billing"),
                new HealthStatus(HealthState.INITIAL, new AtomicLong(), System::currentTimeMillis));
        HealthTarget unknown = new HealthTarget("p/unknown", "p", "z", "127.0.0.1", grpc.port(), grpcCheck("shop.Nowhere"),
                new HealthStatus(HealthState.INITIAL, new AtomicLong(), System::currentTimeMillis));
        checker.reconcile(List.of(cart, billing, unknown));
        await().atMost(Duration.ofSeconds(10)).until(() -> cart.status().state() == HealthState.HEALTHY
                && billing.status().state() == HealthState.UNHEALTHY && unknown.status().state() == HealthState.UNHEALTHY);
        assertThat(billing.status().reason()).isEqualTo("unhealthy:GrpcNotServing");
        assertThat(unknown.status().reason()).isEqualTo("unhealthy:GrpcServiceUnknown");
    }

    @Test
    void aServerThatDoesNotSpeakGrpcIsUnhealthy() throws Exception {
        TestBackend http1 = TestBackend.start(vertx, "plain");
        HealthTarget t = target(http1.port(), grpcCheck(null));
        checker.reconcile(List.of(t));
        await().atMost(Duration.ofSeconds(10)).until(() -> t.status().state() == HealthState.UNHEALTHY);
        assertThat(t.status().reason()).startsWith("unhealthy:");
    }
}
