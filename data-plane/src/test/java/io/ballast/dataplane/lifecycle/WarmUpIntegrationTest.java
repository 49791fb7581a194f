package io.ballast.dataplane.lifecycle;

import static io.ballast.dataplane.testing.Configs.route;
import static io.ballast.dataplane.testing.Configs.snapshot;
import static io.ballast.dataplane.testing.DataPlaneFixture.proxyPort;
import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.config.SnapshotCache;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.testing.Configs;
import io.ballast.model.Backend;
import io.ballast.model.Pool;
import io.vertx.core.http.HttpServer;
import io.ballast.dataplane.testing.TestClient;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data plane that starts from its cache next to a draining predecessor (SO_REUSEPORT) gets connections the moment
 * it listens, so it listens only once its backends had their first verdict: its very first answer is served.
 */
class WarmUpIntegrationTest {
    @TempDir
    Path cacheDir;

    @Test
    void theFirstRequestAfterAStartFromTheCacheIsServedNotRefusedForLackOfAHealthyBackend() throws Exception {
        Vertx backends = Vertx.vertx();
        DataPlane dp = null;
        try {
            // Health checks answer after 250 ms (within the check's timeout), so the first verdict takes a while.
            HttpServer slowChecks = backends.createHttpServer().requestHandler(req -> {
                if (req.path().equals("/healthz")) {
                    backends.setTimer(250, id -> req.response().end("ok"));
                } else {
                    req.response().end("a");
                }
            }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
            ConfigSnapshot config = snapshot(List.of(Pool.named("web").withHealthCheck(Configs.FAST_CHECK).withBackends(List.of(
                    Backend.of("127.0.0.1", slowChecks.actualPort()).withName("a")))), List.of(route("site", "web")));
            new SnapshotCache(cacheDir).write(7, config.hash(), config);
            dp = DataPlaneFixture.start(DataPlaneSettings.forTesting("warm-up-test", cacheDir));
            TestClient.Response first = new TestClient(proxyPort(dp)).get("/first");
            assertThat(first.status()).as(first.body()).isEqualTo(200);
            assertThat(first.body()).isEqualTo("a");
        } finally {
            if (dp != null) {
                dp.close().await(30, TimeUnit.SECONDS);
            }
            backends.close().await(10, TimeUnit.SECONDS);
        }
    }
}
