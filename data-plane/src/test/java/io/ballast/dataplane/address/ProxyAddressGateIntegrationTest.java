package io.ballast.dataplane.address;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.testing.TestBackend;
import io.ballast.dataplane.testing.TestClient;
import io.ballast.model.Backend;
import io.ballast.model.HealthCheck;
import io.ballast.model.Pool;
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

/**
 * The proxy judges the resolved address of every backend connection with the same policy as the health checks:
 * a backend configured by a name that resolves into forbidden space (here {@code localhost} under
 * {@code BALLAST_ADDRESS_POLICY_ALLOW_PRIVATE=false}) is never connected to, even when panic mode spreads traffic
 * over unhealthy backends. The same config under the default policy is served, so the refusal is the gate's doing.
 */
class ProxyAddressGateIntegrationTest {
    @TempDir
    Path dir;

    private Vertx vertx;
    private TestBackend backend;
    private DataPlane dp;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        backend = TestBackend.start(vertx, "local");
    }

    @AfterEach
    void stop() throws Exception {
        if (dp != null) {
            dp.close().await(30, TimeUnit.SECONDS);
        }
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private ConfigSnapshot byName() {
        // Checked rarely and assumed healthy, so the request reaches the proxy's connect whatever the check says.
        HealthCheck tcp = new HealthCheck("tcp", null, null, null, null, Duration.ofSeconds(60), null, null, null, null, "healthy");
        Pool pool = Pool.named("web").withHealthCheck(tcp).withBackends(List.of(Backend.of("localhost", backend.port())));
        return new ConfigSnapshot(List.of(pool), List.of(Route.of("all", "web")));
    }

    @Test
    void aNameResolvingIntoForbiddenSpaceIsNeverConnectedTo() throws Exception {
        dp = DataPlaneFixture.start(DataPlaneSettings.forTesting("gate-test", dir).withAllowPrivateAddresses(false));
        DataPlaneFixture.apply(dp, 1, byName());
        TestClient client = new TestClient(DataPlaneFixture.proxyPort(dp));

        for (int i = 0; i < 5; i++) {
            int status = client.send(HttpMethod.GET, "/", Map.of("Host", "shop.example.com"), null).status();
            assertThat(status).isIn(502, 503);
        }
        assertThat(backend.requests()).isZero();
    }

    @Test
    void theSameNameIsServedUnderTheDefaultPolicy() throws Exception {
        dp = DataPlaneFixture.start(DataPlaneSettings.forTesting("gate-test", dir));
        DataPlaneFixture.apply(dp, 1, byName());
        TestClient client = new TestClient(DataPlaneFixture.proxyPort(dp));

        assertThat(client.send(HttpMethod.GET, "/", Map.of("Host", "shop.example.com"), null).status()).isEqualTo(200);
        assertThat(backend.requests()).isEqualTo(1);
    }
}
