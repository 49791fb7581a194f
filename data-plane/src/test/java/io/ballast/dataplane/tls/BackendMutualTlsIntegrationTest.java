package io.ballast.dataplane.tls;

import static io.ballast.dataplane.testing.Configs.withoutPanic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.config.ApplyResult;
import io.ballast.dataplane.config.SnapshotApplier;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.model.Backend;
import io.ballast.model.Certificate;
import io.ballast.model.HealthCheck;
import io.ballast.model.Pool;
import io.ballast.model.PoolTls;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.tls.PemChain;
import io.ballast.wire.v1.SnapshotPush;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstream mutual TLS (pool {@code tls.clientCertificate}) against a real backend that requires a client
 * certificate: with it, health checks and requests pass and the backend sees the client's subject; a pool without
 * it cannot connect (the backend refuses the handshake) and its backend stays unhealthy.
 */
class BackendMutualTlsIntegrationTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final TestCertificates.Issued BACKEND = TestCertificates.issuedByCa("backend.example.com");
    private static final TestCertificates.Issued CLIENT_CERT = TestCertificates.issuedByCa("ballast-dp.example.com");
    private static final HealthCheck CHECK = new HealthCheck(null, null, "/healthz", null, null,
            Duration.ofMillis(200), Duration.ofMillis(2000), 2, 2, Duration.ofMillis(100), null);

    @TempDir
    Path cacheDir;

    private Vertx backendVertx;
    private HttpServer backend;
    private DataPlane dp;

    @BeforeEach
    void start() throws Exception {
        backendVertx = Vertx.vertx();
        backend = backendVertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
                        .setKeyCertOptions(new PemKeyCertOptions().setKeyValue(Buffer.buffer(BACKEND.pkcs8()))
                                .setCertValue(Buffer.buffer(BACKEND.chainPem())))
                        .setClientAuth(ClientAuth.REQUIRED)
                        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(PemChain.toPem(CLIENT_CERT.chain().get(1))))))
                .requestHandler(req -> {
                    String subject;
                    try {
                        subject = ((X509Certificate) req.connection().sslSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
                    } catch (Exception e) {
                        subject = "none";
                    }
                    req.response().end(req.path().equals("/healthz") ? "ok" : "client=" + subject);
                })
                .listen().await(10, TimeUnit.SECONDS);
        dp = DataPlane.start(DataPlaneSettings.forTesting("backend-mtls", cacheDir)).await(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
        backendVertx.close().await(10, TimeUnit.SECONDS);
    }

    private Pool pool(String name, PoolTls tls) {
        return withoutPanic(Pool.named(name).withHealthCheck(CHECK)
                .withBackends(List.of(Backend.of("127.0.0.1", backend.actualPort()).withName("mtls-backend")))).withTls(tls);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dp.proxyAddresses().get(0).port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theClientCertificateIsPresentedToTheBackend() throws Exception {
        ConfigSnapshot config = new ConfigSnapshot(
                List.of(pool("with-cert", new PoolTls(true, "backend.example.com", null, "backend-ca", "dp-client")),
                        pool("without-cert", new PoolTls(true, "backend.example.com", null, "backend-ca", null))),
                List.of(new Route("with", null, "/with", null, "with-cert", true),
                        new Route("without", null, "/without", null, "without-cert", true)))
                .withCertificates(List.of(new Certificate("backend-ca", PemChain.toPem(BACKEND.chain().get(1)), false, null),
                        new Certificate("dp-client", CLIENT_CERT.chainPem(), true, null)));
        ApplyResult applied = dp.applier().apply(new SnapshotPush(1, config.hash(), config, Map.of("dp-client", CLIENT_CERT.pkcs8())),
                SnapshotApplier.Source.LOCAL).await(30, TimeUnit.SECONDS);
        assertThat(applied).isInstanceOf(ApplyResult.Applied.class);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(get("/with/x").statusCode()).isEqualTo(200));
        assertThat(get("/with/x").body()).isEqualTo("client=CN=ballast-dp.example.com");
        assertThat(get("/without/x").statusCode()).isEqualTo(503);
    }
}
