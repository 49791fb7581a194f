package io.ballast.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import static io.ballast.dataplane.testing.Configs.pool;
import static io.ballast.dataplane.testing.Configs.route;
import static io.ballast.dataplane.testing.Configs.snapshot;

import io.ballast.dataplane.config.SnapshotCache;
import io.ballast.dataplane.testing.TestBackend;
import io.ballast.dataplane.testing.TestClient;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.util.Map;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real entry point in a child JVM: exit codes, start-up log line, the drain on SIGTERM and on POST /drain. */
class DataPlaneMainIntegrationTest {
    @TempDir
    Path dir;

    private ProcessBuilder java(String... args) {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(javaBin, "-cp", System.getProperty("java.class.path"),
                DataPlaneMain.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("BALLAST_"));
        return pb;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aBadSettingExitsWithCode2AndSaysWhich() throws Exception {
        ProcessBuilder pb = java("--event-loops", "many");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(output).contains("BALLAST_EVENT_LOOPS").contains("many");
    }

    @Test
    void itStartsFromTheEnvironmentAndStopsGracefullyOnSigterm() throws Exception {
        int proxyPort = freePort();
        int adminPort = freePort();
        File log = dir.resolve("dp.log").toFile();
        ProcessBuilder pb = java().redirectOutput(log);
        pb.environment().put("BALLAST_CP_URLS", "http://127.0.0.1:1");
        pb.environment().put("BALLAST_NODE_ID", "main-test");
        pb.environment().put("BALLAST_LISTEN", "127.0.0.1:" + proxyPort);
        pb.environment().put("BALLAST_ADMIN_LISTEN", "127.0.0.1:" + adminPort);
        pb.environment().put("BALLAST_CACHE_DIR", dir.resolve("cache").toString());
        pb.environment().put("BALLAST_EVENT_LOOPS", "2");
        Process p = pb.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log.toPath()).contains("Ballast data plane listening"));
            TestClient admin = new TestClient(adminPort);
            assertThat(admin.get("/live").status()).isEqualTo(200);
            assertThat(admin.get("/ready").status()).isEqualTo(503);
            assertThat(admin.get("/status").json().getString("nodeId")).isEqualTo("main-test");
            assertThat(new TestClient(proxyPort).get("/").status()).isEqualTo(503);
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(log.toPath())).contains("Ballast data plane stopped");
        } finally {
            p.destroyForcibly();
        }
    }

    /** A child data plane that serves from its cache (so it is ready at once) a pool of one backend in this JVM. */
    private Process startReady(Path cache, int proxyPort, int adminPort, int backendPort, File log) throws Exception {
        ConfigSnapshot config = snapshot(List.of(pool("web").withBackends(List.of(
                io.ballast.model.Backend.of("127.0.0.1", backendPort).withName("a")))), List.of(route("site", "web")));
        new SnapshotCache(cache).write(1, config.hash(), config);
        ProcessBuilder pb = java().redirectOutput(log);
        pb.environment().put("BALLAST_CP_URLS", "http://127.0.0.1:1");
        pb.environment().put("BALLAST_NODE_ID", "drain-main-test");
        pb.environment().put("BALLAST_LISTEN", "127.0.0.1:" + proxyPort);
        pb.environment().put("BALLAST_ADMIN_LISTEN", "127.0.0.1:" + adminPort);
        pb.environment().put("BALLAST_CACHE_DIR", cache.toString());
        pb.environment().put("BALLAST_EVENT_LOOPS", "1");
        pb.environment().put("BALLAST_DRAIN_DELAY", "1500ms");
        pb.environment().put("BALLAST_SHUTDOWN_GRACE", "5s");
        Process p = pb.start();
        TestClient admin = new TestClient(adminPort);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> admin.get("/ready").status() == 200);
        return p;
    }

    @Test
    void sigtermTurnsReadyDownAtOnceKeepsServingForTheDrainDelayThenTheProcessExits() throws Exception {
        Vertx vertx = Vertx.vertx();
        int proxyPort = freePort();
        int adminPort = freePort();
        File log = dir.resolve("sigterm.log").toFile();
        Process p = null;
        try {
            TestBackend backend = TestBackend.start(vertx, "a");
            p = startReady(dir.resolve("cache-sigterm"), proxyPort, adminPort, backend.port(), log);
            TestClient proxy = new TestClient(proxyPort);
            TestClient admin = new TestClient(adminPort);
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> proxy.get("/").status() == 200);
            long began = System.nanoTime();
            p.destroy(); // SIGTERM
            await("/ready 503 at once").atMost(Duration.ofMillis(1000)).pollInterval(Duration.ofMillis(20))
                    .until(() -> admin.get("/ready").status() == 503);
            TestClient.Response during = proxy.get("/during");
            assertThat(during.status()).as("served during the drain delay").isEqualTo(200);
            assertThat(during.body()).isEqualTo("a");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began)).isLessThan(1500);
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exits after the drain").isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began)).as("not before the drain delay").isGreaterThanOrEqualTo(1400);
            String output = Files.readString(log.toPath());
            assertThat(output).contains("draining (/ready 503)").contains("Ballast data plane stopped");
        } finally {
            if (p != null) {
                p.destroyForcibly();
            }
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void postDrainOnTheAdminPortEndsTheProcessWithExitCodeZero() throws Exception {
        Vertx vertx = Vertx.vertx();
        int adminPort = freePort();
        Process p = null;
        try {
            TestBackend backend = TestBackend.start(vertx, "a");
            p = startReady(dir.resolve("cache-post"), freePort(), adminPort, backend.port(), dir.resolve("post.log").toFile());
            TestClient admin = new TestClient(adminPort);
            assertThat(admin.send(HttpMethod.POST, "/drain", Map.of(), "").status()).isEqualTo(202);
            assertThat(admin.get("/ready").status()).isEqualTo(503);
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            if (p != null) {
                p.destroyForcibly();
            }
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
