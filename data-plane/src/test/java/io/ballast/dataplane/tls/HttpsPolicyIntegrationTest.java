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
import io.ballast.model.RouteActions.DirectResponse;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.wire.v1.SnapshotPush;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-route HTTPS policy through real sockets, with curl: {@code httpsRedirect} answers cleartext with a 308 to the
 * TLS listener and forwards over TLS; {@code hsts} is on every TLS answer of the route (proxied, fixed, the data plane's
 * own errors) and never on cleartext; a route without either is untouched.
 */
class HttpsPolicyIntegrationTest {
    private static final String HSTS = "max-age=31536000; includeSubDomains";

    @TempDir
    Path cacheDir;

    private Vertx backendsVertx;
    private DataPlane dp;
    private TestBackend a;

    @BeforeEach
    void start() throws Exception {
        backendsVertx = Vertx.vertx();
        a = TestBackend.start(backendsVertx, "a");
        dp = DataPlane.start(DataPlaneSettings.forTesting("hsts-test", cacheDir),
                new TlsSettings(List.of(new ListenAddress("127.0.0.1", 0)), "TLSv1.2")).await(30, TimeUnit.SECONDS);
        TestCertificates.Issued shop = TestCertificates.selfSigned("shop.example.com");
        ConfigSnapshot config = snapshot(List.of(pool("web", a), pool("empty")), List.of(
                route("shop", "web").withHttps(true, HSTS),
                route("down", "empty").withPathPrefix("/down").withHttps(false, HSTS),
                route("fixed", null).withPathExact("/fixed").withDirectResponse(new DirectResponse(200, "ok", null)).withHttps(false, HSTS),
                route("plain", "web").withPathPrefix("/plain")))
                .withCertificates(List.of(new Certificate("shop", shop.chainPem(), true, null)));
        ApplyResult applied = dp.applier().apply(new SnapshotPush(1, config.hash(), config, Map.of("shop", shop.pkcs8())),
                SnapshotApplier.Source.LOCAL).await(30, TimeUnit.SECONDS);
        assertThat(applied).isInstanceOf(ApplyResult.Applied.class);
    }

    @AfterEach
    void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
        backendsVertx.close().await(10, TimeUnit.SECONDS);
    }

    /** Status line and headers (lower-cased names) of one curl request; no redirect is followed. */
    private static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sk", "-o", "/dev/null", "-D", "-", "--max-time", "10"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out.replace("\r", "").toLowerCase(java.util.Locale.ROOT);
    }

    private String https(String version, String path) throws Exception {
        int port = dp.tlsAddresses().get(0).port();
        return curl(version, "--resolve", "shop.example.com:" + port + ":127.0.0.1", "https://shop.example.com:" + port + path);
    }

    private String cleartext(String path) throws Exception {
        return curl("-H", "Host: Shop.Example.com:" + dp.proxyAddresses().get(0).port(),
                "http://127.0.0.1:" + dp.proxyAddresses().get(0).port() + path);
    }

    @Test
    void cleartextIsRedirectedToTheTlsListenerKeepingPathAndQuery() throws Exception {
        int tlsPort = dp.tlsAddresses().get(0).port();
        String answer = cleartext("/cart/items?id=7&x=%20y");
        assertThat(answer).startsWith("http/1.1 308")
                .contains("\nlocation: https://shop.example.com:" + tlsPort + "/cart/items?id=7&x=%20y\n")
                .doesNotContain("strict-transport-security");
        // The same request over TLS is forwarded, with HSTS, over HTTP/1.1 and h2.
        for (String version : List.of("--http1.1", "--http2")) {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(https(version, "/cart/items?id=7")).as(version).containsPattern("^http/[12.]+ 200")
                            .contains("\nstrict-transport-security: " + HSTS.toLowerCase(java.util.Locale.ROOT) + "\n"));
        }
    }

    @Test
    void hstsIsOnEveryTlsAnswerOfTheRouteAndNeverOnCleartext() throws Exception {
        String hsts = "\nstrict-transport-security: " + HSTS.toLowerCase(java.util.Locale.ROOT) + "\n";
        // The data plane's own answer (no backend in the pool) and a fixed response carry it over TLS …
        assertThat(https("--http1.1", "/down/x")).startsWith("http/1.1 503").contains(hsts);
        assertThat(https("--http2", "/fixed")).startsWith("http/2 200").contains(hsts);
        // … but not over cleartext (routes without httpsRedirect are served there).
        assertThat(cleartext("/down/x")).startsWith("http/1.1 503").doesNotContain("strict-transport-security");
        assertThat(cleartext("/fixed")).startsWith("http/1.1 200").doesNotContain("strict-transport-security");
        // A route without the policy is untouched on both.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(https("--http1.1", "/plain")).startsWith("http/1.1 200").doesNotContain("strict-transport-security"));
        assertThat(cleartext("/plain")).startsWith("http/1.1 200").doesNotContain("strict-transport-security")
                .doesNotContain("location:");
    }
}
