package io.ballast.dataplane.proxy;

import static io.ballast.dataplane.testing.DataPlaneFixture.apply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.model.Backend;
import io.ballast.model.HealthCheck;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebSocket through the proxy: a tunnel after the backend's real 101, the backend's refusal passed on otherwise. */
class WebSocketProxyIntegrationTest {
    @TempDir
    Path cacheDir;

    private Vertx vertx;
    private HttpServer backend;
    private DataPlane dp;
    private WebSocketClient client;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        // Echoes text messages on /echo; refuses the upgrade (403) on any other path.
        backend = vertx.createHttpServer().webSocketHandshakeHandler(handshake -> {
            if (handshake.path().equals("/echo")) {
                handshake.accept();
            } else {
                handshake.reject(403);
            }
        }).webSocketHandler(ws -> ws.textMessageHandler(ws::writeTextMessage)).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        dp = DataPlaneFixture.start(DataPlaneSettings.forTesting("ws-test", cacheDir));
        HealthCheck tcp = new HealthCheck("tcp", null, null, null, null, Duration.ofSeconds(30), null, null, null, null, "healthy");
        Pool pool = Pool.named("ws").withHealthCheck(tcp).withBackends(List.of(Backend.of("127.0.0.1", backend.actualPort())));
        apply(dp, 1, new ConfigSnapshot(List.of(pool), List.of(Route.of("all", "ws"))));
        client = vertx.createWebSocketClient();
    }

    @AfterEach
    void stop() throws Exception {
        // Close the test's WebSockets first: a graceful stop lets an open tunnel run until the shutdown grace ends.
        client.close().await(10, TimeUnit.SECONDS);
        dp.close().await(30, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private WebSocketConnectOptions to(String path) {
        return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(DataPlaneFixture.proxyPort(dp)).setURI(path);
    }

    @Test
    void framesFlowBothWaysThroughTheTunnel() throws Exception {
        WebSocket ws = client.connect(to("/echo")).await(10, TimeUnit.SECONDS);
        for (int i = 0; i < 3; i++) {
            CompletableFuture<String> echoed = new CompletableFuture<>();
            ws.textMessageHandler(echoed::complete);
            String message = "hello " + i + " " + "x".repeat(i * 30_000);
            ws.writeTextMessage(message).await(5, TimeUnit.SECONDS);
            assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo(message);
        }
        CompletableFuture<Short> closed = new CompletableFuture<>();
        ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
        ws.close((short) 4000, "done");
        // The close handshake itself crosses the tunnel: the backend answers with the same code.
        assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo((short) 4000);
    }

    @Test
    void aBackendThatRefusesTheUpgradeIsPassedOnAndNoTunnelOpens() {
        assertThatThrownBy(() -> client.connect(to("/not-a-socket")).await(10, TimeUnit.SECONDS))
                .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(403));
    }
}
