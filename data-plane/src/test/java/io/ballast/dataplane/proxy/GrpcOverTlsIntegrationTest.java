package io.ballast.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.config.ApplyResult;
import io.ballast.dataplane.health.HealthState;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.Configs;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.testing.GrpcBackend;
import io.ballast.dataplane.tls.TestCertificates;
import io.ballast.model.Backend;
import io.ballast.model.Certificate;
import io.ballast.model.HealthCheck;
import io.ballast.model.Pool;
import io.ballast.model.PoolTls;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.tls.PemChain;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code protocol: h2}: HTTP/2 negotiated by ALPN over the pool's backend TLS, to a real grpc-java server with a
 * certificate from a test CA; its {@code grpc} health check goes over the same TLS. A TLS backend that only speaks
 * HTTP/1.1 is a failed connect (502), not a garbled exchange.
 */
class GrpcOverTlsIntegrationTest {
    private static final TestCertificates.Issued CERT = TestCertificates.issuedByCa("grpc.example.com");

    @TempDir
    Path dir;

    private DataPlane dp;
    private GrpcBackend grpc;
    private Vertx vertx;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        grpc = GrpcBackend.withTls("tls", GrpcSslContexts.configure(SslContextBuilder.forServer(CERT.keys().getPrivate(),
                CERT.chain().toArray(new X509Certificate[0]))).build());
        vertx = Vertx.vertx();
        dp = DataPlaneFixture.start(DataPlaneSettings.forTesting("grpc-tls", dir.resolve("cache")));
        channel = GrpcBackend.channel(DataPlaneFixture.proxyPort(dp));
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        dp.close().await(30, TimeUnit.SECONDS);
        grpc.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private void apply(int port, HealthCheck check) throws Exception {
        Pool pool = Pool.builder("grpc").protocol("h2").healthCheck(check).panicThresholdPercent(0)
                .tls(new PoolTls(true, "grpc.example.com", null, "grpc-ca", null))
                .backends(List.of(Backend.of("127.0.0.1", port).withName("b"))).build();
        ConfigSnapshot config = new ConfigSnapshot(List.of(pool), List.of(Route.of("all", "grpc")))
                .withCertificates(List.of(new Certificate("grpc-ca", PemChain.toPem(CERT.chain().get(1)), false, null)));
        assertThat(DataPlaneFixture.apply(dp, 1, config)).isInstanceOf(ApplyResult.Applied.class);
    }

    @Test
    void grpcOverTlsWithAlpnIsCheckedAndProxied() throws Exception {
        HealthCheck f = Configs.FAST_CHECK;
        apply(grpc.port(), new HealthCheck("grpc", null, null, null, null, f.interval(), Duration.ofSeconds(2), 1, 2,
                f.transitionInterval(), null, null));
        // Traffic starts only after the first passing check: SERVING over h2 with the pool's TLS.
        await().atMost(Duration.ofSeconds(15)).until(() -> DataPlaneFixture.health(dp, "grpc", "b") == HealthState.HEALTHY);
        assertThat(GrpcBackend.unary(channel, GrpcBackend.UNARY, "secure")).isEqualTo("tls:secure");
        assertThat(GrpcBackend.stream(channel, GrpcBackend.STREAM, "2")).containsExactly("tls:0", "tls:1");
    }

    @Test
    void aTlsBackendWithoutH2IsAFailedConnect() throws Exception {
        HttpServer http1 = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
                        .setKeyCertOptions(new PemKeyCertOptions().setKeyValue(Buffer.buffer(CERT.pkcs8()))
                                .setCertValue(Buffer.buffer(CERT.chainPem()))))
                .requestHandler(req -> req.response().end("http1 only"))
                .listen().await(10, TimeUnit.SECONDS);
        apply(http1.actualPort(), new HealthCheck("tcp", null, null, null, null, Duration.ofSeconds(60), null, null, 100,
                Duration.ofSeconds(60), "healthy"));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + DataPlaneFixture.proxyPort(dp) + "/")).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).doesNotContain("http1 only");
    }
}
