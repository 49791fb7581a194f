package io.ballast.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.Configs;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.testing.TestClient;
import io.ballast.model.Backend;
import io.ballast.model.HealthCheck;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pool.timeouts.idle}: the proxy closes a pool's unused backend connections after that time, and no sooner. */
class IdleTimeoutIntegrationTest {
    @TempDir
    Path dir;

    private final KeepAliveBackend shortIdle = new KeepAliveBackend();
    private final KeepAliveBackend defaultIdle = new KeepAliveBackend();
    private DataPlane dp;

    IdleTimeoutIntegrationTest() throws IOException {
    }

    @AfterEach
    void stop() throws Exception {
        if (dp != null) {
            dp.close().await(30, TimeUnit.SECONDS);
        }
        shortIdle.close();
        defaultIdle.close();
    }

    @Test
    void aPoolsBackendConnectionsCloseAfterItsIdleTimeoutWhileTheDefaultKeepsThemOpen() throws Exception {
        dp = DataPlaneFixture.start(DataPlaneSettings.forTesting("idle-test", dir));
        DataPlaneFixture.apply(dp, 1, new ConfigSnapshot(
                List.of(Configs.withIdleTimeout(pool("short", shortIdle), Duration.ofSeconds(1)), pool("default", defaultIdle)),
                List.of(Route.of("short", "short").withHosts(List.of("short.example.com")),
                        Route.of("default", "default").withHosts(List.of("default.example.com")))));
        TestClient client = new TestClient(DataPlaneFixture.proxyPort(dp));

        assertThat(client.send(HttpMethod.GET, "/", Map.of("Host", "short.example.com"), null).status()).isEqualTo(200);
        assertThat(client.send(HttpMethod.GET, "/", Map.of("Host", "default.example.com"), null).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(6)).until(() -> shortIdle.closedByProxy() == 1);
        long idleMillis = TimeUnit.NANOSECONDS.toMillis(shortIdle.lastClosedNanos.get() - shortIdle.lastAnsweredNanos.get());
        // Vert.x evicts expired connections on a one-second sweep: closed after 1 s, at the latest about 2 s later.
        assertThat(idleMillis).isBetween(900L, 4000L);

        // Past twice the short timeout, the default pool's connection (60 s) is still open and gets reused.
        await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(defaultIdle.closedByProxy()).isZero();
        assertThat(client.send(HttpMethod.GET, "/", Map.of("Host", "default.example.com"), null).status()).isEqualTo(200);
        assertThat(defaultIdle.servingConnections()).isEqualTo(1);
        assertThat(defaultIdle.answered()).isEqualTo(2);
    }

    private static Pool pool(String name, KeepAliveBackend backend) {
        // No probes during the test (first one in 30 s), healthy from the start: only proxied requests connect.
        HealthCheck quiet = new HealthCheck("tcp", null, null, null, null, Duration.ofSeconds(30), null, null, null, null, "healthy");
        return Pool.named(name).withHealthCheck(quiet).withBackends(List.of(Backend.of("127.0.0.1", backend.port()).withName(name)));
    }

    /**
     * An HTTP/1.1 backend on a raw socket that keeps connections open as long as the peer does, and notes when
     * the proxy closes one it answered on.
     */
    private static final class KeepAliveBackend implements AutoCloseable {
        private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);

        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger answered = new AtomicInteger();
        private final AtomicInteger serving = new AtomicInteger();
        private final AtomicInteger closed = new AtomicInteger();
        final AtomicLong lastAnsweredNanos = new AtomicLong();
        final AtomicLong lastClosedNanos = new AtomicLong();

        KeepAliveBackend() throws IOException {
            Thread acceptor = new Thread(this::acceptLoop, "keep-alive-backend");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int answered() {
            return answered.get();
        }

        /** Connections that carried at least one request. */
        int servingConnections() {
            return serving.get();
        }

        /** Connections that carried a request and were then closed by the proxy. */
        int closedByProxy() {
            return closed.get();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread t = new Thread(() -> serve(s), "keep-alive-backend-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            boolean carried = false;
            try (s) {
                InputStream in = s.getInputStream();
                int matched = 0;
                int b;
                while ((b = in.read()) != -1) {
                    // Requests here have no body: a head ends at CRLF CRLF.
                    matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
                    if (matched == 4) {
                        matched = 0;
                        if (!carried) {
                            carried = true;
                            serving.incrementAndGet();
                        }
                        s.getOutputStream().write(OK);
                        s.getOutputStream().flush();
                        lastAnsweredNanos.set(System.nanoTime());
                        answered.incrementAndGet();
                    }
                }
                if (carried) {
                    lastClosedNanos.set(System.nanoTime());
                    closed.incrementAndGet();
                }
            } catch (IOException e) {
                // the test's own close
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
