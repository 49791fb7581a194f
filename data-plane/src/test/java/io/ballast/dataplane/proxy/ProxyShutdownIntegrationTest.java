package io.ballast.dataplane.proxy;

import static io.ballast.dataplane.testing.Configs.pool;
import static io.ballast.dataplane.testing.Configs.route;
import static io.ballast.dataplane.testing.Configs.snapshot;
import static io.ballast.dataplane.testing.DataPlaneFixture.apply;
import static io.ballast.dataplane.testing.DataPlaneFixture.health;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.health.HealthState;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.testing.TestBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graceful stop: idle keep-alive connections close at once, a busy HTTP/1.1 connection finishes its answer
 * with {@code Connection: close}, an HTTP/2 client gets GOAWAY and its open stream still completes.
 */
class ProxyShutdownIntegrationTest {
    @TempDir
    Path cacheDir;

    private Vertx vertx;
    private DataPlane dp;
    private Future<Void> closing;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        TestBackend a = TestBackend.start(vertx, "a");
        dp = DataPlaneFixture.start(DataPlaneSettings.forTesting("shutdown-test", cacheDir));
        apply(dp, 1, snapshot(List.of(pool("web", a)), List.of(route("site", "web"))));
        await().atMost(Duration.ofSeconds(10)).until(() -> health(dp, "web", "a") == HealthState.HEALTHY);
    }

    @AfterEach
    void stop() throws Exception {
        if (closing == null) {
            closing = dp.close();
        }
        closing.await(30, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static final String SLOW = "GET /slow?ms=1500 HTTP/1.1\r\nHost: x\r\n\r\n";
    private static final String FAST = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    @Test
    void idleConnectionsCloseAtOnceAndABusyOneFinishesWithConnectionClose() throws Exception {
        int port = DataPlaneFixture.proxyPort(dp);
        try (Socket idle = new Socket(InetAddress.getLoopbackAddress(), port);
             Socket busy = new Socket(InetAddress.getLoopbackAddress(), port)) {
            idle.setSoTimeout(5000);
            busy.setSoTimeout(5000);
            idle.getOutputStream().write(FAST.getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(idle.getInputStream())).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection: close");
            busy.getOutputStream().write(SLOW.getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(200);

            long stopAt = System.nanoTime();
            closing = dp.close();
            assertThat(idle.getInputStream().read()).as("idle connection closed").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - stopAt)).isLessThan(Duration.ofMillis(1000));

            String answer = readResponse(busy.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
            assertThat(busy.getInputStream().read()).as("busy connection closed after its answer").isEqualTo(-1);
        }
        closing.await(30, TimeUnit.SECONDS);
        assertThat(dp.config().current().table().pools().iterator().next().members().get(0).inFlight()).isZero();
    }

    @Test
    void anHttp2ClientGetsGoAwayAndItsOpenStreamCompletes() throws Exception {
        HttpClient h2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false).setDefaultHost("127.0.0.1").setDefaultPort(DataPlaneFixture.proxyPort(dp)));
        CompletableFuture<Void> goAway = new CompletableFuture<>();
        Future<String> slow = h2.request(HttpMethod.GET, "/slow?ms=1000").compose(req -> {
            HttpConnection c = req.connection();
            c.goAwayHandler(g -> goAway.complete(null));
            return req.send().compose(res -> res.body().map(b -> res.statusCode() + " " + b));
        });
        Thread.sleep(300);
        closing = dp.close();
        goAway.get(5, TimeUnit.SECONDS);
        assertThat(slow.await(10, TimeUnit.SECONDS)).isEqualTo("200 a");
    }

    /** One response head and its Content-Length body. */
    private static String readResponse(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().contains("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                return sb.toString();
            }
            sb.append((char) c);
        }
        String head = sb.toString();
        int length = Integer.parseInt(head.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
        for (int i = 0; i < length; i++) {
            sb.append((char) in.read());
        }
        return sb.toString();
    }
}
