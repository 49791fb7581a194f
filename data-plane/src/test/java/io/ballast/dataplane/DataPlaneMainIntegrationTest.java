package io.ballast.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.testing.TestClient;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real entry point in a child JVM: exit codes, start-up log line, graceful stop on SIGTERM. */
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
}
