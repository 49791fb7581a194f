package io.ballast.dataplane.health;

import static io.ballast.dataplane.testing.DataPlaneFixture.apply;
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
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backend that goes away by resetting its connections (a process killed, a host rebooted) is an expected event:
 * the data plane says so in one line at INFO or WARN, with no SEVERE and no stack trace from Vert.x or Netty.
 * The backend is a raw socket server answering keep-alive, so both the health checker's pooled connection and the
 * proxy's pooled backend connection are open when it resets them.
 */
class ResettingBackendLogIntegrationTest {
    private static final HealthCheck CHECK = new HealthCheck(null, null, "/healthz", null, null,
            Duration.ofMillis(200), Duration.ofMillis(300), 1, 1, Duration.ofMillis(100), null);

    @TempDir
    Path cacheDir;

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private DataPlane dp;
    private ResettingBackend backend;

    @BeforeEach
    void start() throws Exception {
        Logger.getLogger("").addHandler(capture);
        backend = new ResettingBackend();
        dp = DataPlaneFixture.start(DataPlaneSettings.forTesting("reset-test", cacheDir));
    }

    @AfterEach
    void stop() throws Exception {
        Logger.getLogger("").removeHandler(capture);
        dp.close().await(30, TimeUnit.SECONDS);
        backend.close();
    }

    @Test
    void aBackendThatResetsItsConnectionsIsOneQuietLineNotASevereStackTrace() throws Exception {
        Pool pool = Pool.named("web").withHealthCheck(CHECK)
                .withBackends(List.of(Backend.of("127.0.0.1", backend.port()).withName("resets")));
        apply(dp, 1, Configs.snapshot(List.of(pool), List.of(Route.of("site", "web"))));
        TestClient client = new TestClient(DataPlaneFixture.proxyPort(dp));
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> client.get("/").status() == 200);
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.connections() >= 2);
        records.clear();

        backend.resetAll();
        await().atMost(Duration.ofSeconds(10)).until(() -> records.stream()
                .anyMatch(r -> text(r).contains("changed from healthy to unhealthy")));
        Thread.sleep(500);

        assertThat(records).as("what was logged: %s", describe(records))
                .noneMatch(r -> r.getLevel().intValue() >= Level.SEVERE.intValue())
                .noneMatch(r -> r.getThrown() != null);
    }

    /** The message with its parameters filled in (System.Logger hands JUL the pattern and the parameters). */
    private static String text(LogRecord r) {
        return new java.util.logging.SimpleFormatter().formatMessage(r);
    }

    private static List<String> describe(List<LogRecord> records) {
        return records.stream().map(r -> r.getLevel() + " [" + r.getLoggerName() + "] " + text(r)
                + (r.getThrown() == null ? "" : " (thrown: " + r.getThrown() + ")")).toList();
    }

    /** Answers every request 200 with keep-alive, until it resets every connection (SO_LINGER 0) and stops listening. */
    private static final class ResettingBackend implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        ResettingBackend() throws IOException {
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        sockets.add(s);
                        Thread t = new Thread(() -> serve(s), "resetting-backend-conn");
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "resetting-backend");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int connections() {
            return sockets.size();
        }

        private static void serve(Socket s) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                byte[] buf = new byte[8192];
                StringBuilder head = new StringBuilder();
                int n;
                while ((n = in.read(buf)) > 0) {
                    head.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    // Requests here have no body: every blank line ends one.
                    int end;
                    while ((end = head.indexOf("\r\n\r\n")) >= 0) {
                        head.delete(0, end + 4);
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // reset by resetAll, or the peer went away
            }
        }

        void resetAll() throws IOException {
            server.close();
            for (Socket s : sockets) {
                if (!s.isClosed()) {
                    s.setSoLinger(true, 0);
                    s.close();
                }
            }
        }

        @Override
        public void close() throws IOException {
            resetAll();
        }
    }
}
