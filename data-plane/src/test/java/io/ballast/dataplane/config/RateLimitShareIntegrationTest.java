package io.ballast.dataplane.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.testing.FakeControlPlane;
import io.ballast.wire.v1.Hello;
import io.ballast.wire.v1.RateLimitShare;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data plane announces {@code rate-limit-share}, enforces the share it is sent, and keeps it with the control plane gone. */
class RateLimitShareIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path cacheDir;

    private Vertx vertx;
    private FakeControlPlane cp;
    private DataPlane dp;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        cp = FakeControlPlane.start(vertx);
        dp = DataPlaneFixture.start(DataPlaneSettings.forTesting("node-1", cacheDir)
                .withControlPlaneUrls(List.of(URI.create(cp.url())), "dp-secret"));
    }

    @AfterEach
    void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void theShareIsAppliedAndKeptThroughAControlPlaneOutage() throws Exception {
        Hello hello = cp.next(Hello.class, WAIT);
        assertThat(hello.supports(Hello.RATE_LIMIT_SHARE)).isTrue();
        assertThat(dp.fleetShare().fraction()).as("before any share: the whole limit").isEqualTo(1.0);
        cp.send(RateLimitShare.among(3));
        await().atMost(WAIT).until(() -> dp.fleetShare().fraction() == 1.0 / 3);
        cp.stop();
        await().atMost(WAIT).until(() -> !cp.connected());
        Thread.sleep(500);
        assertThat(dp.fleetShare().last()).isEqualTo(RateLimitShare.among(3));
    }

    @Test
    void aMalformedShareChangesNothing() throws Exception {
        cp.next(Hello.class, WAIT);
        cp.send(RateLimitShare.among(2));
        await().atMost(WAIT).until(() -> dp.fleetShare().fraction() == 0.5);
        cp.sendRaw("{\"type\":\"rate-limit-share\",\"share\":7,\"dataPlanes\":1}");
        cp.send(RateLimitShare.among(4));
        await().atMost(WAIT).until(() -> dp.fleetShare().fraction() == 0.25);
    }
}
