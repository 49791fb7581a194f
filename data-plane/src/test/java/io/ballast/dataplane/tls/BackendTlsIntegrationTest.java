package io.ballast.dataplane.tls;

import static io.ballast.dataplane.testing.Configs.route;
import static io.ballast.dataplane.testing.Configs.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.config.ApplyResult;
import io.ballast.dataplane.config.SnapshotApplier;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.Configs;
import io.ballast.model.Backend;
import io.ballast.model.Certificate;
import io.ballast.model.Pool;
import io.ballast.model.PoolTls;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.tls.PemChain;
import io.ballast.wire.v1.SnapshotPush;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS to backends (pool {@code tls}) against a real TLS backend (a Vert.x HTTPS server with a certificate issued by
 * a test CA for {@code backend.example.com}): with the CA as {@code caCertificate} and the name as {@code sni}, health
 * checks pass over HTTPS and requests reach it (which sees the SNI); with another CA the backend is unhealthy with
 * {@code TlsVerificationFailed} and gets no request; {@code verify: false} connects anyway.
 */
class BackendTlsIntegrationTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    /** Quick checks with room for a TLS handshake on a busy machine. */
    private static final io.ballast.model.HealthCheck CHECK = new io.ballast.model.HealthCheck(null, null, "/healthz", null, null,
            Duration.ofMillis(200), Duration.ofMillis(2000), 2, 2, Duration.ofMillis(100), null);
    private static final TestCertificates.Issued BACKEND = TestCertificates.issuedByCa("backend.example.com");
    private static final TestCertificates.Issued OTHER_CA = TestCertificates.issuedByCa("other.example.com");

    @TempDir
    Path cacheDir;

    private Vertx backendVertx;
    private HttpServer backend;
    private DataPlane dp;

    @BeforeEach
    void start() throws Exception {
        backendVertx = Vertx.vertx();
        backend = backendVertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true).setSni(true)
                        .setKeyCertOptions(new PemKeyCertOptions().setKeyValue(Buffer.buffer(BACKEND.pkcs8()))
                                .setCertValue(Buffer.buffer(BACKEND.chainPem()))))
                .requestHandler(req -> req.response().end(req.path().equals("/healthz") ? "ok"
                        : "tls-backend sni=" + req.connection().indicatedServerName() + " ssl=" + req.isSSL()))
                .listen().await(10, TimeUnit.SECONDS);
        dp = DataPlane.start(DataPlaneSettings.forTesting("backend-tls", cacheDir)).await(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
        backendVertx.close().await(10, TimeUnit.SECONDS);
    }

    private Pool tlsPool(String name, PoolTls tls) {
        // No panic mode: an unhealthy backend must get no traffic at all (503), which is what is asserted.
        return Configs.withoutPanic(Pool.named(name).withHealthCheck(CHECK)
                .withBackends(List.of(Backend.of("127.0.0.1", backend.actualPort()).withName("tls-backend")))).withTls(tls);
    }

    private HttpResponse<String> get(String path) throws Exception {
        int port = dp.proxyAddresses().get(0).port();
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject backendStatus(String pool) throws Exception {
        String body = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dp.adminAddress().port() + "/status")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return new JsonObject(body).getJsonArray("pools").stream().map(JsonObject.class::cast)
                .filter(p -> p.getString("name").equals(pool)).findFirst().orElseThrow()
                .getJsonArray("backends").getJsonObject(0);
    }

    @Test
    void verifiedTlsReachesTheBackendAndAnUntrustedOneIsUnhealthyWithTheReason() throws Exception {
        String ca = PemChain.toPem(BACKEND.chain().get(1));
        String otherCa = PemChain.toPem(OTHER_CA.chain().get(1));
        ConfigSnapshot config = snapshot(
                List.of(tlsPool("good", new PoolTls(true, "backend.example.com", null, "backend-ca", null)),
                        tlsPool("untrusted", new PoolTls(true, "backend.example.com", null, "other-ca", null)),
                        tlsPool("unverified", new PoolTls(true, null, false, null, null))),
                List.of(new Route("good", null, "/good", null, "good", true),
                        new Route("untrusted", null, "/untrusted", null, "untrusted", true),
                        new Route("unverified", null, "/unverified", null, "unverified", true)))
                .withCertificates(List.of(new Certificate("backend-ca", ca, false, null),
                        new Certificate("other-ca", otherCa, false, null)));
        ApplyResult applied = dp.applier().apply(new SnapshotPush(1, config.hash(), config, Map.of()), SnapshotApplier.Source.LOCAL)
                .await(30, TimeUnit.SECONDS);
        assertThat(applied).isInstanceOf(ApplyResult.Applied.class);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(backendStatus("good").getString("health")).isEqualTo("healthy");
            assertThat(backendStatus("unverified").getString("health")).isEqualTo("healthy");
            assertThat(backendStatus("untrusted").getString("health")).isEqualTo("unhealthy");
        });
        assertThat(backendStatus("untrusted").getString("healthReason")).isEqualTo("unhealthy:TlsVerificationFailed");

        HttpResponse<String> good = get("/good/hello");
        assertThat(good.statusCode()).isEqualTo(200);
        assertThat(good.body()).isEqualTo("tls-backend sni=backend.example.com ssl=true");
        // Keep-alive reuse of the TLS connection: a second request works the same.
        assertThat(get("/good/again").body()).isEqualTo("tls-backend sni=backend.example.com ssl=true");
        // No SNI for an IP address (RFC 6066 §3); verification is off, so the backend's name does not matter.
        assertThat(get("/unverified/x").body()).isEqualTo("tls-backend sni=null ssl=true");
        assertThat(get("/untrusted/x").statusCode()).isEqualTo(503);
    }

    @Test
    void aPoolNamingAMissingTrustBundleIsRefused() throws Exception {
        ConfigSnapshot config = snapshot(List.of(tlsPool("good", new PoolTls(true, null, null, "nowhere", null))), List.of(route("r", "good")));
        ApplyResult result = dp.applier().apply(new SnapshotPush(1, config.hash(), config, Map.of()), SnapshotApplier.Source.LOCAL)
                .await(30, TimeUnit.SECONDS);
        assertThat(result).isInstanceOf(ApplyResult.Rejected.class);
        assertThat(((ApplyResult.Rejected) result).errors()).anyMatch(v -> v.field().equals("pools[0].tls.caCertificate"));
    }
}
