package io.ballast.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.config.ApplyResult;
import io.ballast.dataplane.metrics.MirrorMetrics;
import io.ballast.dataplane.metrics.MirrorMetrics.Outcome;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.testing.MisbehavingBackend;
import io.ballast.dataplane.testing.TestClient;
import io.ballast.model.Backend;
import io.ballast.model.HealthCheck;
import io.ballast.model.Mirror;
import io.ballast.model.OutlierDetection;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.RouteActions;
import io.ballast.model.Timeouts;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route's {@code mirror} through a real data plane, a real primary backend and a real mirror backend: the copy
 * carries what the primary gets (after rewrites and header edits), goes out only once the request was read whole,
 * is left out over {@code maxBody} or beyond the per-loop cap, and a mirror that stalls or is down changes neither
 * the status nor the latency of the client's answer. Metrics and the access log say what became of each copy.
 */
class MirrorIntegrationTest {
    /** Checked rarely and never marked down: only the mirror logic decides here. */
    private static final HealthCheck STEADY = new HealthCheck("tcp", null, null, null, null, Duration.ofSeconds(60), null, null, 100,
            Duration.ofSeconds(60), "healthy");
    private static final OutlierDetection NO_EJECTION = new OutlierDetection(0, 0, null, null);

    @TempDir
    Path dir;

    private Vertx vertx;
    private MisbehavingBackend primary;
    private MirrorBackend shadow;
    private DataPlane dp;
    private TestClient client;
    private Path logFile;
    private long revision;

    /** A mirror backend that records each request's head when it arrives and its body when it ends. */
    static final class MirrorBackend {
        record Seen(String method, String uri, MultiMap headers, String body) {
        }

        final AtomicInteger heads = new AtomicInteger();
        final Queue<Seen> seen = new ConcurrentLinkedQueue<>();
        volatile boolean hang;
        final HttpServer server;

        MirrorBackend(Vertx vertx) throws Exception {
            server = vertx.createHttpServer().requestHandler(req -> {
                heads.incrementAndGet();
                req.body().onSuccess(body -> {
                    seen.add(new Seen(req.method().name(), req.uri(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
                            body.toString(StandardCharsets.UTF_8)));
                    if (!hang) {
                        req.response().end("mirror answer, never seen by the client");
                    }
                });
            }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        }

        int port() {
            return server.actualPort();
        }
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        primary = MisbehavingBackend.healthy(vertx, "primary");
        shadow = new MirrorBackend(vertx);
        logFile = dir.resolve("access.log");
        DataPlaneSettings settings = DataPlaneSettings.forTesting("mirror-test", dir.resolve("cache"));
        dp = DataPlaneFixture.start(settings.withProxy(settings.proxy().withAccessLog(logFile.toString())));
        client = new TestClient(DataPlaneFixture.proxyPort(dp));
    }

    @AfterEach
    void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static Pool pool(String name, int port, Duration requestTimeout) {
        return Pool.builder(name).healthCheck(STEADY).outlierDetection(NO_EJECTION)
                .timeouts(new Timeouts(Duration.ofSeconds(1), requestTimeout, null))
                .backends(List.of(Backend.of("127.0.0.1", port))).build();
    }

    private void apply(Route route, int shadowPort, Duration shadowTimeout) throws Exception {
        ConfigSnapshot snapshot = new ConfigSnapshot(List.of(pool("web", primary.port(), Duration.ofSeconds(10)),
                pool("shadow", shadowPort, shadowTimeout)), List.of(route));
        assertThat(DataPlaneFixture.apply(dp, ++revision, snapshot)).isInstanceOf(ApplyResult.Applied.class);
    }

    private void apply(Route route) throws Exception {
        apply(route, shadow.port(), Duration.ofSeconds(10));
    }

    private MirrorMetrics metrics() {
        return dp.metrics().mirrors();
    }

    /** The access log's {@code mirror} field of each line, once {@code total} lines are written ("none" where absent). */
    private List<String> mirrorField(int total) throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(logFile) && Files.readAllLines(logFile).size() >= total);
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
            out.add(new JsonObject(line).getString("mirror", "none"));
        }
        return out;
    }

    @Test
    void theCopyCarriesTheMethodPathHeadersAndBodyThePrimaryGets() throws Exception {
        Route route = new Route("api", null, "/v1/", null, "web", null)
                .withRewrite(new RouteActions.Rewrite("/v2/", null, null))
                .withHeaders(new RouteActions.HeaderEdits(Map.of("x-env", "blue"), null, List.of("x-secret")), null)
                .withMirror(Mirror.of("shadow", 100));
        apply(route);
        TestClient.Response r = client.send(HttpMethod.POST, "/v1/items?page=2",
                Map.of("X-Trace", "abc", "X-Secret", "drop me", "Content-Type", "text/plain"), "payload");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("primary:payload");
        await().atMost(Duration.ofSeconds(5)).until(() -> shadow.seen.size() == 1);
        MirrorBackend.Seen copy = shadow.seen.peek();
        assertThat(copy.method()).isEqualTo("POST");
        assertThat(copy.uri()).isEqualTo("/v2/items?page=2");
        assertThat(copy.body()).isEqualTo("payload");
        assertThat(copy.headers().get("content-length")).isEqualTo("7");
        assertThat(copy.headers().get("x-trace")).isEqualTo("abc");
        assertThat(copy.headers().get("x-env")).isEqualTo("blue");
        assertThat(copy.headers().contains("x-secret")).isFalse();
        assertThat(copy.headers().get("content-type")).isEqualTo("text/plain");
        // The Host the client sent, as the primary gets it; the same request id and forwarding headers.
        assertThat(copy.headers().get("host")).isEqualTo("127.0.0.1:" + DataPlaneFixture.proxyPort(dp));
        assertThat(copy.headers().get("x-request-id")).isEqualTo(r.headers().get("x-request-id")).isNotBlank();
        assertThat(copy.headers().get("x-forwarded-for")).isEqualTo("127.0.0.1");
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics().total("shadow", Outcome.ANSWERED) == 1);
        assertThat(mirrorField(1)).containsExactly("sent");
        assertThat(dp.metrics().prometheus(null)).contains("ballast_mirror_requests_total{pool=\"shadow\",outcome=\"answered\"} 1");
    }

    @Test
    void aRouteWithoutMirrorLogsNoMirrorField() throws Exception {
        apply(Route.of("all", "web"));
        assertThat(client.get("/plain").status()).isEqualTo(200);
        assertThat(mirrorField(1)).containsExactly("none");
        assertThat(dp.metrics().prometheus(null)).doesNotContain("ballast_mirror_requests_total");
        assertThat(shadow.heads.get()).isZero();
    }

    @Test
    void theCopyIsSentOnlyOnceTheRequestWasReadWhole() throws Exception {
        apply(Route.of("all", "web").withMirror(Mirror.of("shadow", 100)));
        try (Socket s = new Socket("127.0.0.1", DataPlaneFixture.proxyPort(dp))) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("POST /upload HTTP/1.1\r\nHost: shop\r\nContent-Length: 10\r\n\r\nhello".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(700);
            assertThat(shadow.heads.get()).as("nothing goes to the mirror while the body is still arriving").isZero();
            out.write("world".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readAnswer(s.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("primary:helloworld");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> shadow.seen.size() == 1);
        assertThat(shadow.seen.peek().body()).isEqualTo("helloworld");
        assertThat(shadow.seen.peek().headers().get("host")).isEqualTo("shop");
    }

    private static String readAnswer(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[4096];
        while (!sb.toString().endsWith("primary:helloworld")) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            sb.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
        }
        return sb.toString();
    }

    @Test
    void aStallingMirrorDelaysNoAnswerAndIsCappedPerLoop() throws Exception {
        shadow.hang = true;
        apply(Route.of("all", "web").withMirror(Mirror.of("shadow", 100)), shadow.port(), Duration.ofSeconds(3));
        int n = Mirrors.MAX_HELD_PER_LOOP + 16;
        long slowest = 0;
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            TestClient.Response r = client.get("/stall/" + i);
            slowest = Math.max(slowest, System.nanoTime() - t0);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("primary:");
        }
        // Every copy hangs for 3 s at the mirror; the client's answers do not wait for any of them.
        assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofMillis(1500));
        await().atMost(Duration.ofSeconds(5)).until(() -> shadow.heads.get() == Mirrors.MAX_HELD_PER_LOOP);
        // One event loop in this data plane: it holds at most its cap; the rest were not mirrored.
        assertThat(metrics().total("shadow", Outcome.BUSY)).isEqualTo(16);
        List<String> logged = mirrorField(n);
        assertThat(logged.stream().filter("sent"::equals).count()).isEqualTo(Mirrors.MAX_HELD_PER_LOOP);
        assertThat(logged.stream().filter("busy"::equals).count()).isEqualTo(16);
        // The mirror pool's request timeout ends the hung copies, which frees the loop's budget again.
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics().total("shadow", Outcome.TIMEOUT) == Mirrors.MAX_HELD_PER_LOOP);
        shadow.hang = false;
        assertThat(client.get("/after").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics().total("shadow", Outcome.ANSWERED) == 1);
    }

    @Test
    void aMirrorThatIsDownChangesNoAnswer() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        apply(Route.of("all", "web").withMirror(Mirror.of("shadow", 100)), closed, Duration.ofSeconds(3));
        for (int i = 0; i < 20; i++) {
            TestClient.Response r = client.send(HttpMethod.PUT, "/down/" + i, Map.of(), "body-" + i);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("primary:body-" + i);
        }
        await().atMost(Duration.ofSeconds(10)).until(() ->
                metrics().total("shadow", Outcome.FAILED) + metrics().total("shadow", Outcome.NO_BACKEND) == 20);
        assertThat(metrics().total("shadow", Outcome.FAILED)).isPositive();
        assertThat(primary.requests()).isEqualTo(20);
    }

    @Test
    void aBodyOverTheLimitIsNotMirroredAndOneWithinIs() throws Exception {
        apply(Route.of("all", "web").withMirror(new Mirror("shadow", 100, 1024)));
        String within = "a".repeat(1024);
        String over = "b".repeat(1025);
        assertThat(client.send(HttpMethod.POST, "/within", Map.of(), within).body()).isEqualTo("primary:" + within);
        assertThat(client.send(HttpMethod.POST, "/over", Map.of(), over).body()).isEqualTo("primary:" + over);
        // A chunked body is judged as it arrives.
        try (Socket s = new Socket("127.0.0.1", DataPlaneFixture.proxyPort(dp))) {
            s.setSoTimeout(10_000);
            String chunk = "c".repeat(600);
            String req = "POST /chunked HTTP/1.1\r\nHost: shop\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(600) + "\r\n" + chunk + "\r\n" + Integer.toHexString(600) + "\r\n" + chunk + "\r\n0\r\n\r\n";
            s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            byte[] buf = new byte[8192];
            StringBuilder sb = new StringBuilder();
            while (!sb.toString().endsWith(chunk + chunk)) {
                int n = s.getInputStream().read(buf);
                if (n < 0) {
                    break;
                }
                sb.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            }
            assertThat(sb.toString()).startsWith("HTTP/1.1 200");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics().total("shadow", Outcome.ANSWERED) == 1);
        assertThat(metrics().total("shadow", Outcome.TOO_LARGE)).isEqualTo(2);
        assertThat(shadow.seen).extracting(MirrorBackend.Seen::uri).containsExactly("/within");
        assertThat(shadow.seen.peek().body()).isEqualTo(within);
        assertThat(mirrorField(3)).containsExactly("sent", "too-large", "too-large");
    }

    @Test
    void percentCopiesThatShareOfTheRequests() throws Exception {
        apply(Route.of("all", "web").withMirror(Mirror.of("shadow", 25)));
        int n = 400;
        for (int i = 0; i < n; i++) {
            assertThat(client.get("/p/" + i).status()).isEqualTo(200);
        }
        List<String> logged = mirrorField(n);
        long sent = logged.stream().filter("sent"::equals).count();
        assertThat(logged.stream().filter("skipped"::equals).count()).isEqualTo(n - sent);
        // 25 % of 400 is 100 (standard deviation 8.7): a draw outside 60..140 would mean the share is wrong.
        assertThat(sent).isBetween(60L, 140L);
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics().total("shadow", Outcome.ANSWERED) == sent);
        assertThat(shadow.heads.get()).isEqualTo((int) sent);
    }

    @Test
    void anHttp2RequestIsMirroredWithItsBodyAndWithoutOne() throws Exception {
        apply(Route.of("all", "web").withMirror(Mirror.of("shadow", 100)));
        HttpClient h2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
        for (String body : new String[] {"h2-body", null}) {
            String answer = h2.request(new RequestOptions().setMethod(body == null ? HttpMethod.GET : HttpMethod.POST).setURI("/h2")
                            .setServer(SocketAddress.inetSocketAddress(DataPlaneFixture.proxyPort(dp), "127.0.0.1"))
                            .setHost("shop.example.com").setPort(80))
                    .compose(req -> (body == null ? req.send() : req.send(body)).compose(res -> res.body()))
                    .await(10, TimeUnit.SECONDS).toString();
            assertThat(answer).isEqualTo("primary:" + (body == null ? "" : body));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> shadow.seen.size() == 2);
        assertThat(shadow.seen).extracting(MirrorBackend.Seen::method, MirrorBackend.Seen::body)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("POST", "h2-body"), org.assertj.core.groups.Tuple.tuple("GET", ""));
        // :authority becomes the Host the primary and the copy both get.
        assertThat(shadow.seen).allSatisfy(seen -> assertThat(seen.headers().get("host")).isEqualTo("shop.example.com"));
    }

    @Test
    void aCopyNeverQueuesForAMirrorBackendAtItsConnectionLimit() throws Exception {
        shadow.hang = true;
        Pool limited = pool("shadow", shadow.port(), Duration.ofSeconds(5)).toBuilder().maxConnectionsPerBackend(1).build();
        ConfigSnapshot snapshot = new ConfigSnapshot(List.of(pool("web", primary.port(), Duration.ofSeconds(10)), limited),
                List.of(Route.of("all", "web").withMirror(Mirror.of("shadow", 100))));
        assertThat(DataPlaneFixture.apply(dp, ++revision, snapshot)).isInstanceOf(ApplyResult.Applied.class);
        for (int i = 0; i < 3; i++) {
            assertThat(client.get("/limited/" + i).status()).isEqualTo(200);
        }
        // The first copy holds the backend's one connection; the others are not sent rather than wait for it.
        assertThat(metrics().total("shadow", Outcome.BUSY)).isEqualTo(2);
        assertThat(mirrorField(3)).containsExactly("sent", "busy", "busy");
        await().atMost(Duration.ofSeconds(5)).until(() -> shadow.heads.get() == 1);
    }
}
