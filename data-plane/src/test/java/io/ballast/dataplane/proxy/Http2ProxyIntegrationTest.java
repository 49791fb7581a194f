package io.ballast.dataplane.proxy;

import static io.ballast.dataplane.testing.Configs.pool;
import static io.ballast.dataplane.testing.Configs.route;
import static io.ballast.dataplane.testing.Configs.snapshot;
import static io.ballast.dataplane.testing.DataPlaneFixture.apply;
import static io.ballast.dataplane.testing.DataPlaneFixture.health;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.health.HealthState;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.testing.TestBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 with prior knowledge (h2c) from the client, through the same forwarding path as HTTP/1.1, to
 * HTTP/1.1 backends: streams multiplexed on one connection, bodies both ways, and the HTTP/2 to HTTP/1
 * conversion leaving no trace of itself on the backend side.
 */
class Http2ProxyIntegrationTest {
    @TempDir
    Path cacheDir;

    private Vertx vertx;
    private TestBackend a;
    private TestBackend b;
    private DataPlane dp;
    private HttpClient h2;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        a = TestBackend.start(vertx, "a");
        b = TestBackend.start(vertx, "b");
        dp = DataPlaneFixture.start(DataPlaneSettings.forTesting("h2-test", cacheDir));
        apply(dp, 1, snapshot(List.of(pool("web", a, b)), List.of(route("site", "web"))));
        await().atMost(Duration.ofSeconds(10)).until(() -> health(dp, "web", "a") == HealthState.HEALTHY
                && health(dp, "web", "b") == HealthState.HEALTHY);
        h2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
                .setDefaultHost("127.0.0.1").setDefaultPort(DataPlaneFixture.proxyPort(dp)));
    }

    @AfterEach
    void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private Response send(HttpMethod method, String uri, String body) throws Exception {
        // The name goes in :authority (a Host field beside a different :authority is malformed, RFC 9113 §8.3.1);
        // the connection still goes to the proxy.
        return h2.request(new RequestOptions().setMethod(method).setURI(uri)
                        .setServer(SocketAddress.inetSocketAddress(DataPlaneFixture.proxyPort(dp), "127.0.0.1"))
                        .setHost("shop.example.com").setPort(80))
                .compose(req -> (body == null ? req.send() : req.send(body)).compose(res -> res.body().map(b -> new Response(res, b))))
                .await(10, TimeUnit.SECONDS);
    }

    private record Response(HttpClientResponse head, Buffer body) {
    }

    @Test
    void manyStreamsOnOneConnectionAreEachForwarded() throws Exception {
        long connectionsBefore = clientConnectionsOpened();
        List<Future<String>> answers = new ArrayList<>();
        Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 40; i++) {
            answers.add(h2.request(HttpMethod.GET, "/").compose(req -> req.send())
                    .compose(res -> {
                        assertThat(res.version()).isEqualTo(HttpVersion.HTTP_2);
                        assertThat(res.statusCode()).isEqualTo(200);
                        connections.add(res.request().connection());
                        return res.body().map(Buffer::toString);
                    }));
        }
        List<String> bodies = new ArrayList<>();
        for (Future<String> f : answers) {
            bodies.add(f.await(10, TimeUnit.SECONDS));
        }
        assertThat(bodies).hasSize(40).containsOnly("a", "b").contains("a", "b");
        assertThat(a.requests() + b.requests()).isEqualTo(40);
        // Multiplexed, not one connection per request: the client used one connection, and the proxy accepted one.
        assertThat(connections).hasSize(1);
        assertThat(clientConnectionsOpened() - connectionsBefore).isEqualTo(1);
    }

    /** The proxy's own count of accepted client connections, from its metrics. */
    private long clientConnectionsOpened() {
        String text = dp.metrics().prometheus(dp.config().current());
        Matcher m = Pattern.compile("(?m)^ballast_client_connections_opened_total (\\d+)").matcher(text);
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void bodiesAndHeadersCrossToAnHttp11BackendWithoutConversionArtefacts() throws Exception {
        String big = "0123456789".repeat(20_000);
        Response r = send(HttpMethod.POST, "/echo?q=1", big);
        assertThat(r.head().statusCode()).isEqualTo(200);
        assertThat(r.head().getHeader("Via")).isEqualTo("2 ballast");
        assertThat(r.head().getHeader("X-Request-Id")).matches("[0-9a-f]{32}");
        JsonObject echo = r.body().toJsonObject();
        assertThat(echo.getString("method")).isEqualTo("POST");
        assertThat(echo.getString("uri")).isEqualTo("/echo?q=1");
        assertThat(echo.getString("body")).isEqualTo(big);
        JsonObject seen = echo.getJsonObject("headers");
        assertThat(seen.getString("host")).isEqualTo("shop.example.com");
        assertThat(seen.getString("via")).isEqualTo("2 ballast");
        assertThat(seen.getString("x-forwarded-proto")).isEqualTo("http");
        assertThat(seen.fieldNames()).noneMatch(n -> n.startsWith("x-http2-") || n.startsWith(":"));
    }

    @Test
    void aStreamedBackendResponseReachesTheHttp2Client() throws Exception {
        Response r = send(HttpMethod.GET, "/chunked", null);
        assertThat(r.head().statusCode()).isEqualTo(200);
        assertThat(r.body().toString()).matches("[ab]-1;[ab]-2");
        assertThat(r.head().getHeader("Transfer-Encoding")).isNull();
    }
}
