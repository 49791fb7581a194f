package io.ballast.dataplane.tls;

import static io.ballast.dataplane.testing.Configs.pool;
import static io.ballast.dataplane.testing.Configs.route;
import static io.ballast.dataplane.testing.Configs.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.config.ApplyResult;
import io.ballast.dataplane.config.SnapshotApplier;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.settings.ListenAddress;
import io.ballast.dataplane.testing.TestBackend;
import io.ballast.model.Certificate;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.wire.v1.SnapshotPush;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Shared session tickets: a session {@code openssl s_client -sess_out} got from one data plane resumes with
 * {@code -sess_in} on another data plane that was sent the same ticket secret, over TLS 1.3 and 1.2, and does not
 * resume on one with another secret.
 */
class SessionResumptionIntegrationTest {
    private static final TestCertificates.Issued SHOP = TestCertificates.selfSigned("shop.example.com");

    @TempDir
    Path dir;

    private Vertx backendsVertx;
    private TestBackend backend;
    private final List<DataPlane> dps = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        backendsVertx = Vertx.vertx();
        backend = TestBackend.start(backendsVertx, "a");
    }

    @AfterEach
    void stop() throws Exception {
        for (DataPlane dp : dps) {
            dp.close().await(30, TimeUnit.SECONDS);
        }
        backendsVertx.close().await(10, TimeUnit.SECONDS);
    }

    private static String secret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** A data plane with a TLS listener, running the shop certificate and the given ticket secret; its TLS port. */
    private int dataPlane(String name, String secret) throws Exception {
        DataPlane dp = DataPlane.start(DataPlaneSettings.forTesting(name, Files.createDirectories(dir.resolve(name))),
                new TlsSettings(List.of(new ListenAddress("127.0.0.1", 0)), "TLSv1.2")).await(30, TimeUnit.SECONDS);
        dps.add(dp);
        ConfigSnapshot config = snapshot(List.of(pool("web", backend)), List.of(route("site", "web")))
                .withCertificates(List.of(new Certificate("shop", SHOP.chainPem(), true, null)));
        ApplyResult applied = dp.applier().apply(new SnapshotPush(1, config.hash(), config, Map.of("shop", SHOP.pkcs8()), secret),
                SnapshotApplier.Source.LOCAL).await(30, TimeUnit.SECONDS);
        assertThat(applied).isInstanceOf(ApplyResult.Applied.class);
        // The backend takes traffic after its first health check passes; on a loaded machine that is after the first s_client.
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI plain = java.net.URI.create("http://127.0.0.1:" + dp.proxyAddresses().get(0).port() + "/");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() -> assertThat(http.send(
                java.net.http.HttpRequest.newBuilder(plain).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200));
        return dp.tlsAddresses().get(0).port();
    }

    /** One HTTPS request with s_client; {@code -sess_out} or {@code -sess_in} with {@code session}. */
    private static String sClient(int port, String version, String sessionFlag, Path session) throws Exception {
        Process p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "shop.example.com",
                version, "-ign_eof", sessionFlag, session.toString()).redirectErrorStream(true).start();
        // s_client reads until the server closes, so it also gets the TLS 1.3 tickets sent after the handshake.
        p.getOutputStream().write("GET / HTTP/1.1\r\nHost: shop.example.com\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("HTTP/1.1 200");
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_3", "-tls1_2"})
    void aSessionFromOneDataPlaneResumesOnAnotherWithTheSameSecret(String version) throws Exception {
        String fleet = secret();
        int first = dataPlane("dp-1", fleet);
        int second = dataPlane("dp-2", fleet);
        int stranger = dataPlane("dp-3", secret());
        Path session = dir.resolve("session.pem");

        assertThat(sClient(first, version, "-sess_out", session)).contains("New, TLSv1.");
        assertThat(Files.size(session)).isPositive();
        assertThat(sClient(second, version, "-sess_in", session)).contains("Reused, TLSv1.");
        assertThat(sClient(first, version, "-sess_in", session)).contains("Reused, TLSv1.");
        // Another secret cannot open the ticket: a full handshake (which still succeeds).
        assertThat(sClient(stranger, version, "-sess_in", session)).contains("New, TLSv1.").doesNotContain("Reused,");
    }

    /**
     * The ticket secret decrypts every session of the fleet, so it never reaches the disk: the cache file (mode 0600,
     * it holds the certificates' keys) has the snapshot but not the secret. A data plane restarted from its cache with
     * no control plane therefore issues tickets under a key of its own, and a fleet session is a full handshake there
     * until the control plane sends the secret again (README, "Session tickets shared by the fleet").
     */
    @Test
    void theSecretIsNotCachedSoARestartFromTheCacheUsesALocalKey() throws Exception {
        String fleet = secret();
        int first = dataPlane("dp-1", fleet);
        Path cacheDir = dir.resolve("dp-cached");
        dataPlane("dp-cached", fleet);
        Path cacheFile = new io.ballast.dataplane.config.SnapshotCache(cacheDir).file();
        String cached = Files.readString(cacheFile);
        assertThat(cached).contains("\"revision\"").contains("BEGIN");
        assertThat(cached).as("the ticket secret is not in the cache").doesNotContain(fleet).doesNotContain("sessionTicketSecret");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(cacheFile))).isEqualTo("rw-------");

        DataPlane cachedDp = dps.remove(dps.size() - 1);
        cachedDp.close().await(30, TimeUnit.SECONDS);
        DataPlane restarted = DataPlane.start(DataPlaneSettings.forTesting("dp-cached", cacheDir),
                new TlsSettings(List.of(new ListenAddress("127.0.0.1", 0)), "TLSv1.2")).await(30, TimeUnit.SECONDS);
        dps.add(restarted);
        int restartedPort = restarted.tlsAddresses().get(0).port();
        Path session = dir.resolve("fleet-session.pem");
        assertThat(sClient(first, "-tls1_3", "-sess_out", session)).contains("New, TLSv1.");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() ->
                assertThat(sClient(restartedPort, "-tls1_3", "-sess_in", session)).as("served from the cache, with a local ticket key")
                        .contains("New, TLSv1.").doesNotContain("Reused,"));
    }

    @Test
    void aBadSecretRefusesTheSnapshot() throws Exception {
        DataPlane dp = DataPlane.start(DataPlaneSettings.forTesting("dp-bad", Files.createDirectories(dir.resolve("bad"))),
                new TlsSettings(List.of(new ListenAddress("127.0.0.1", 0)), "TLSv1.2")).await(30, TimeUnit.SECONDS);
        dps.add(dp);
        ConfigSnapshot config = snapshot(List.of(pool("web", backend)), List.of(route("site", "web")));
        ApplyResult result = dp.applier().apply(new SnapshotPush(1, config.hash(), config, Map.of(), "c2hvcnQ="),
                SnapshotApplier.Source.LOCAL).await(30, TimeUnit.SECONDS);
        assertThat(result).isInstanceOf(ApplyResult.Rejected.class);
        assertThat(((ApplyResult.Rejected) result).errors()).anyMatch(v -> v.field().equals("sessionTicketSecret"));
    }
}
