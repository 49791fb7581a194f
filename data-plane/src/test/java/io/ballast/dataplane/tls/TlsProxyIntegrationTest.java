package io.ballast.dataplane.tls;

import static io.ballast.dataplane.testing.Configs.pool;
import static io.ballast.dataplane.testing.Configs.route;
import static io.ballast.dataplane.testing.Configs.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole data plane with a TLS listener: HTTPS and h2 over TLS through the same forwarding path; a bad certificate is refused. */
class TlsProxyIntegrationTest {
    @TempDir
    Path cacheDir;

    private Vertx backendsVertx;
    private DataPlane dp;
    private TestBackend a;

    @BeforeEach
    void start() throws Exception {
        backendsVertx = Vertx.vertx();
        a = TestBackend.start(backendsVertx, "a");
        dp = DataPlane.start(DataPlaneSettings.forTesting("tls-test", cacheDir),
                new TlsSettings(List.of(new ListenAddress("127.0.0.1", 0)), "TLSv1.2")).await(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
        backendsVertx.close().await(10, TimeUnit.SECONDS);
    }

    private ApplyResult apply(long revision, ConfigSnapshot config, Map<String, String> keys) throws Exception {
        return dp.applier().apply(new SnapshotPush(revision, config.hash(), config, keys), SnapshotApplier.Source.LOCAL)
                .await(30, TimeUnit.SECONDS);
    }

    private String curl(int port) throws Exception {
        Process p = new ProcessBuilder("curl", "-sk", "--http2", "-o", "/dev/null", "-w", "%{http_code} %{http_version}",
                "--resolve", "shop.example.com:" + port + ":127.0.0.1", "https://shop.example.com:" + port + "/").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void httpsAndH2OverTlsReachTheBackendAndABadCertificateIsRefused() throws Exception {
        TestCertificates.Issued shop = TestCertificates.selfSigned("shop.example.com");
        ConfigSnapshot config = snapshot(List.of(pool("web", a)), List.of(route("site", "web")))
                .withCertificates(List.of(new Certificate("shop", shop.chainPem(), true, null)));
        assertThat(apply(1, config, Map.of("shop", shop.pkcs8()))).isInstanceOf(ApplyResult.Applied.class);
        int port = dp.tlsAddresses().get(0).port();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(curl(port)).isEqualTo("200 2"));

        TestCertificates.Issued other = TestCertificates.selfSigned("shop.example.com");
        ConfigSnapshot rotated = config.withCertificates(List.of(new Certificate("shop", other.chainPem(), true, null)));
        assertThat(apply(2, rotated, Map.of("shop", shop.pkcs8()))).isInstanceOf(ApplyResult.Rejected.class);
        assertThat(dp.certificates().current().byName().get("shop").leaf()).isEqualTo(shop.chain().get(0));
        assertThat(dp.config().current().revision()).isEqualTo(1);
        assertThat(curl(port)).isEqualTo("200 2");
    }

    private static String admin(DataPlane dp, String path) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + dp.adminAddress().port() + path)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void statusAndMetricsTellWhichCertificatesAreServedAndWhenTheyExpire() throws Exception {
        TestCertificates.Issued shop = TestCertificates.selfSigned("shop.example.com");
        ConfigSnapshot config = snapshot(List.of(pool("web", a)), List.of(route("site", "web")))
                .withCertificates(List.of(new Certificate("shop", shop.chainPem(), true, null)));
        assertThat(apply(1, config, Map.of("shop", shop.pkcs8()))).isInstanceOf(ApplyResult.Applied.class);
        long notAfter = shop.chain().get(0).getNotAfter().toInstant().getEpochSecond();

        io.vertx.core.json.JsonObject status = new io.vertx.core.json.JsonObject(admin(dp, "/status"));
        io.vertx.core.json.JsonArray served = status.getJsonArray("certificates");
        assertThat(served).hasSize(1);
        io.vertx.core.json.JsonObject entry = served.getJsonObject(0);
        assertThat(entry.getString("name")).isEqualTo("shop");
        assertThat(entry.getJsonArray("hosts").getList()).containsExactly("shop.example.com");
        assertThat(entry.getString("notAfter")).isEqualTo(shop.chain().get(0).getNotAfter().toInstant().toString());
        assertThat(entry.getString("fingerprintSha256")).isEqualTo(shop.fingerprint());
        assertThat(entry.getLong("daysLeft")).isEqualTo(java.time.Duration.between(java.time.Instant.now(),
                shop.chain().get(0).getNotAfter().toInstant()).toDays());
        assertThat(entry.toString()).doesNotContain("PRIVATE");

        assertThat(admin(dp, "/metrics")).contains("# TYPE ballast_certificate_expiry_timestamp_seconds gauge\n")
                .contains("ballast_certificate_expiry_timestamp_seconds{name=\"shop\"} " + notAfter + "\n");

        // A snapshot without the certificate takes it off both.
        assertThat(apply(2, config.withCertificates(List.of()), Map.of())).isInstanceOf(ApplyResult.Applied.class);
        assertThat(new io.vertx.core.json.JsonObject(admin(dp, "/status")).getJsonArray("certificates")).isEmpty();
        assertThat(admin(dp, "/metrics")).doesNotContain("ballast_certificate_expiry_timestamp_seconds{");
    }

    @Test
    void backendsAreToldTheClientUsedHttps() throws Exception {
        TestCertificates.Issued shop = TestCertificates.selfSigned("shop.example.com");
        ConfigSnapshot config = snapshot(List.of(pool("web", a)), List.of(route("site", "web")))
                .withCertificates(List.of(new Certificate("shop", shop.chainPem(), true, null)));
        assertThat(apply(1, config, Map.of("shop", shop.pkcs8()))).isInstanceOf(ApplyResult.Applied.class);
        int port = dp.tlsAddresses().get(0).port();
        // The backend takes traffic after its first health check passes.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(curl(port)).isEqualTo("200 2"));
        for (String version : List.of("--http1.1", "--http2")) {
            Process p = new ProcessBuilder("curl", "-sk", version, "--resolve", "shop.example.com:" + port + ":127.0.0.1",
                    "https://shop.example.com:" + port + "/echo").start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            io.vertx.core.json.JsonObject headers = new io.vertx.core.json.JsonObject(out).getJsonObject("headers");
            assertThat(headers).as(out).isNotNull();
            assertThat(headers.getString("x-forwarded-proto")).as(version).isEqualTo("https");
            assertThat(headers.getString("forwarded")).as(version).contains("proto=https");
        }
    }
}
