package io.ballast.dataplane.proxy;

import static io.ballast.dataplane.testing.Configs.pool;
import static io.ballast.dataplane.testing.Configs.route;
import static io.ballast.dataplane.testing.Configs.snapshot;
import static io.ballast.dataplane.testing.DataPlaneFixture.apply;
import static io.ballast.dataplane.testing.DataPlaneFixture.health;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.config.ApplyResult;
import io.ballast.dataplane.health.HealthState;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.Configs;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.testing.TestBackend;
import io.ballast.dataplane.testing.TestClient;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proxy with two real backends, configured through the same apply path the control plane uses. */
class ProxyIntegrationTest {
    @TempDir
    Path cacheDir;

    private Vertx backendsVertx;
    private TestBackend a;
    private TestBackend b;
    private DataPlane dp;
    private TestClient client;

    @BeforeEach
    void start() throws Exception {
        backendsVertx = Vertx.vertx();
        a = TestBackend.start(backendsVertx, "a");
        b = TestBackend.start(backendsVertx, "b");
        dp = DataPlaneFixture.start(DataPlaneSettings.forTesting("proxy-test", cacheDir));
        client = new TestClient(DataPlaneFixture.proxyPort(dp));
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        dp.close().await(30, TimeUnit.SECONDS);
        backendsVertx.close().await(10, TimeUnit.SECONDS);
    }

    private void applyWebAndWaitHealthy() throws Exception {
        assertThat(apply(dp, 1, snapshot(List.of(pool("web", a, b)), List.of(route("site", "web")))))
                .isInstanceOf(ApplyResult.Applied.class);
        awaitHealth("a", HealthState.HEALTHY);
        awaitHealth("b", HealthState.HEALTHY);
    }

    private void awaitHealth(String backend, HealthState state) {
        await().atMost(Duration.ofSeconds(10)).until(() -> health(dp, "web", backend) == state);
    }

    @Test
    void requestsAlternateBetweenHealthyBackends() throws Exception {
        applyWebAndWaitHealthy();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            TestClient.Response r = client.get("/");
            assertThat(r.status()).isEqualTo(200);
            bodies.add(r.body());
        }
        for (int i = 1; i < bodies.size(); i++) {
            assertThat(bodies.get(i)).as("request %d", i).isNotEqualTo(bodies.get(i - 1));
        }
        assertThat(bodies).containsOnly("a", "b");
    }

    @Test
    void aStoppedBackendLeavesRotationAndComesBackWhenRestarted() throws Exception {
        applyWebAndWaitHealthy();
        b.stop();
        // Every request succeeds, also before the checks notice: a refused connection is retried on "a".
        List<String> during = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            TestClient.Response r = client.get("/");
            assertThat(r.status()).as("request %d after b stopped", i).isEqualTo(200);
            during.add(r.body());
        }
        assertThat(during).containsOnly("a");
        awaitHealth("b", HealthState.UNHEALTHY);
        int bServed = b.requests();
        for (int i = 0; i < 20; i++) {
            TestClient.Response r = client.get("/");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("a");
        }
        assertThat(dp.metrics().counters().get("retries")).isGreaterThan(0);

        b.restart();
        awaitHealth("b", HealthState.HEALTHY);
        List<String> after = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            after.add(client.get("/").body());
        }
        assertThat(after).contains("a", "b");
        assertThat(b.requests()).isGreaterThan(bServed);
    }

    @Test
    void noMatchingRouteIsA404Problem() throws Exception {
        apply(dp, 1, snapshot(List.of(pool("web", a)), List.of(route("site", "web").withHosts(List.of("shop.example.com")))));
        TestClient.Response r = client.send(HttpMethod.GET, "/x", Map.of("Host", "other.example.com"), null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.headers().get("Content-Type")).isEqualTo("application/problem+json");
        JsonObject p = r.json();
        assertThat(p.fieldNames()).containsExactlyInAnyOrder("type", "title", "status", "detail");
        assertThat(p.getInteger("status")).isEqualTo(404);
        assertThat(p.getString("type")).endsWith("/no-route");
        assertThat(p.getString("detail")).contains("other.example.com");
    }

    @Test
    void aPoolWithoutHealthyBackendIsA503Problem() throws Exception {
        b.stop();
        apply(dp, 1, snapshot(List.of(pool("web", b)), List.of(route("site", "web"))));
        TestClient.Response r = client.get("/");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.headers().get("Content-Type")).isEqualTo("application/problem+json");
        assertThat(r.json().getString("type")).endsWith("/no-healthy-backend");
        assertThat(r.json().getString("detail")).contains("web");
        assertThat(b.requests()).isZero();
    }

    @Test
    void beforeAnyConfigTheProxyAnswers503() throws Exception {
        TestClient.Response r = client.get("/");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.json().getString("type")).endsWith("/no-config");
    }

    @Test
    void hopByHopHeadersAreStrippedBothWaysAndForwardedHeadersAdded() throws Exception {
        applyWebAndWaitHealthy();
        Map<String, String> headers = new HashMap<>();
        headers.put("Host", "shop.example.com:1234");
        headers.put("Connection", "keep-alive, X-Client-Hop");
        headers.put("X-Client-Hop", "must-not-pass");
        headers.put("Keep-Alive", "timeout=5");
        headers.put("TE", "trailers");
        headers.put("Proxy-Connection", "keep-alive");
        headers.put("X-Forwarded-For", "203.0.113.7");
        headers.put("X-Custom", "kept");
        JsonObject echo = client.send(HttpMethod.GET, "/echo?q=1", headers, null).json();
        JsonObject seen = echo.getJsonObject("headers");
        assertThat(seen.fieldNames()).doesNotContain("x-client-hop", "keep-alive", "te", "proxy-connection");
        assertThat(seen.getString("host")).isEqualTo("shop.example.com:1234");
        assertThat(seen.getString("x-custom")).isEqualTo("kept");
        assertThat(seen.getString("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(seen.getString("x-forwarded-proto")).isEqualTo("http");
        assertThat(seen.getString("x-forwarded-host")).isEqualTo("shop.example.com:1234");
        assertThat(echo.getString("uri")).isEqualTo("/echo?q=1");

        TestClient.Response hop = client.get("/hop");
        assertThat(hop.status()).isEqualTo(200);
        assertThat(hop.headers().get("X-Secret-Hop")).isNull();
        assertThat(hop.headers().get("Keep-Alive")).isNull();
        assertThat(hop.headers().get("X-End-To-End")).isEqualTo("kept");
    }

    @Test
    void hopByHopHeadersNeverReachTheBackendOnTheWire() throws Exception {
        applyWebAndWaitHealthy();
        try (Socket s = new Socket("127.0.0.1", DataPlaneFixture.proxyPort(dp))) {
            s.setSoTimeout(3_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /echo HTTP/1.1\r\nHost: raw.example.com\r\nConnection: close, X-Raw-Hop\r\n"
                    + "X-Raw-Hop: secret\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            // readAllBytes returns only when the proxy closes: "Connection: close, X-Raw-Hop" must close it.
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 200");
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            JsonObject seen = new JsonObject(body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1)).getJsonObject("headers");
            assertThat(seen.fieldNames()).doesNotContain("x-raw-hop", "upgrade");
            assertThat(seen.getString("host")).isEqualTo("raw.example.com");
        }
    }

    @Test
    void requestAndResponseBodiesAreStreamed() throws Exception {
        applyWebAndWaitHealthy();
        String big = "x".repeat(1024 * 1024);
        JsonObject echo = client.send(HttpMethod.POST, "/echo", Map.of("Content-Type", "text/plain"), big).json();
        assertThat(echo.getString("method")).isEqualTo("POST");
        assertThat(echo.getString("body")).hasSize(big.length()).isEqualTo(big);
    }

    @Test
    void aChunkedBackendResponseReachesHttp11AndHttp10Clients() throws Exception {
        applyWebAndWaitHealthy();
        TestClient.Response r = client.get("/chunked");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).matches("[ab]-1;[ab]-2");
        try (Socket s = new Socket("127.0.0.1", DataPlaneFixture.proxyPort(dp))) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /chunked HTTP/1.0\r\nHost: old.example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.0 200").doesNotContainIgnoringCase("transfer-encoding");
            assertThat(answer.substring(answer.indexOf("\r\n\r\n") + 4)).matches("[ab]-1;[ab]-2");
        }
    }

    @Test
    void stripPrefixRemovesTheRoutePrefix() throws Exception {
        Route api = new Route("api", null, "/api", null, "web", true);
        apply(dp, 1, snapshot(List.of(pool("web", a)), List.of(api)));
        await().atMost(Duration.ofSeconds(10)).until(() -> health(dp, "web", "a") == HealthState.HEALTHY);
        JsonObject echo = client.get("/api/echo?x=1").json();
        assertThat(echo.getString("uri")).isEqualTo("/echo?x=1");
        assertThat(client.get("/other").status()).isEqualTo(404);
    }

    @Test
    void aSlowBackendIsA504AfterThePoolsRequestTimeout() throws Exception {
        Pool web = Configs.withRequestTimeout(pool("web", a), Duration.ofMillis(300));
        apply(dp, 1, snapshot(List.of(web), List.of(route("site", "web"))));
        await().atMost(Duration.ofSeconds(10)).until(() -> health(dp, "web", "a") == HealthState.HEALTHY);
        long started = System.nanoTime();
        TestClient.Response r = client.get("/slow?ms=3000");
        assertThat(r.status()).isEqualTo(504);
        assertThat(r.json().getString("type")).endsWith("/gateway-timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2500));
        await().atMost(Duration.ofSeconds(5)).until(() -> dp.config().current().table().pool("web").members().get(0).inFlight() == 0);
        assertThat(client.get("/").status()).isEqualTo(200);
    }

    /** A short request timeout, so a stuck exchange shows up as a 504 rather than a client timeout. */
    private static Pool quick(Pool p) {
        return Configs.withRequestTimeout(p, Duration.ofSeconds(5));
    }

    @Test
    void configSwapsUnderASteadyStreamFailNoRequest() throws Exception {
        applyWebAndWaitHealthy();
        ConfigSnapshot both = snapshot(List.of(quick(pool("web", a, b))), List.of(route("site", "web")));
        ConfigSnapshot onlyA = snapshot(List.of(quick(pool("web", a))), List.of(route("site", "web")));
        ConfigSnapshot withExtra = snapshot(List.of(quick(pool("web", a, b)), pool("extra", b)),
                List.of(route("site", "web"), route("extra", "extra").withPathPrefix("/extra")));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> loaders = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Thread loader = new Thread(() -> {
                try (TestClient c = new TestClient(DataPlaneFixture.proxyPort(dp))) {
                    while (running.get()) {
                        TestClient.Response r = c.get("/");
                        if (r.status() == 200) {
                            ok.incrementAndGet();
                        } else {
                            failures.add(r.status() + " " + r.body());
                        }
                    }
                } catch (Exception e) {
                    failures.add(e + " ok=" + ok.get() + " metrics=" + dp.metrics().counters() + " inFlight="
                            + io.ballast.dataplane.metrics.ProxyMetrics.inFlight(dp.config().current()));
                }
            });
            loader.start();
            loaders.add(loader);
        }
        List<ConfigSnapshot> cycle = List.of(onlyA, both, withExtra, both);
        for (int i = 0; i < 24; i++) {
            assertThat(apply(dp, 2 + i, cycle.get(i % cycle.size()))).isNotInstanceOf(ApplyResult.Rejected.class);
            Thread.sleep(40);
        }
        running.set(false);
        for (Thread loader : loaders) {
            loader.join(20_000);
        }
        assertThat(failures).isEmpty();
        assertThat(ok.get()).isGreaterThan(50);
        assertThat(dp.config().current().revision()).isEqualTo(25);
    }
}
