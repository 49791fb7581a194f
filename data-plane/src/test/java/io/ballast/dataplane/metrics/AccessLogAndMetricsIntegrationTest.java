package io.ballast.dataplane.metrics;

import static io.ballast.dataplane.testing.Configs.pool;
import static io.ballast.dataplane.testing.Configs.route;
import static io.ballast.dataplane.testing.Configs.snapshot;
import static io.ballast.dataplane.testing.Configs.withoutPanic;
import static io.ballast.dataplane.testing.DataPlaneFixture.apply;
import static io.ballast.dataplane.testing.DataPlaneFixture.health;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.config.ApplyResult;
import io.ballast.dataplane.health.HealthState;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.testing.TestBackend;
import io.ballast.dataplane.testing.TestClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests through a real proxy to a real backend, then the two things an operator reads about them: the JSON
 * access log (written to a file via the access-log setting) and the Prometheus series on the admin server.
 */
class AccessLogAndMetricsIntegrationTest {
    private static final String SHOP = "shop.example.com";
    private static final String DEAD = "dead.example.com";

    @TempDir
    Path dir;

    private Vertx backendsVertx;
    private TestBackend up;
    private TestBackend down;
    private DataPlane dp;
    private Path logFile;
    private TestClient proxy;
    private TestClient admin;

    @BeforeEach
    void start() throws Exception {
        backendsVertx = Vertx.vertx();
        up = TestBackend.start(backendsVertx, "up");
        down = TestBackend.start(backendsVertx, "down");
        down.stop();
        logFile = dir.resolve("access.log");
        DataPlaneSettings settings = DataPlaneSettings.forTesting("log-test", dir.resolve("cache"));
        dp = DataPlaneFixture.start(settings.withProxy(settings.proxy().withAccessLog(logFile.toString())));
        proxy = new TestClient(DataPlaneFixture.proxyPort(dp));
        admin = new TestClient(dp.adminAddress().port());
        assertThat(apply(dp, 7, snapshot(List.of(pool("web", up), withoutPanic(pool("gone", down))),
                List.of(route("shop", "web").withHosts(List.of(SHOP)), route("dead", "gone").withHosts(List.of(DEAD))))))
                .isInstanceOf(ApplyResult.Applied.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> health(dp, "web", "up") == HealthState.HEALTHY
                && health(dp, "gone", "down") == HealthState.UNHEALTHY);
    }

    @AfterEach
    void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
        backendsVertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void everyRequestIsOneJsonLineWithTheFieldsOfTheIssue() throws Exception {
        TestClient.Response get = proxy.send(HttpMethod.GET, "/hello?x=1", Map.of("Host", SHOP), null);
        TestClient.Response post = proxy.send(HttpMethod.POST, "/echo", Map.of("Host", SHOP, "X-Request-Id", "req-42"), "hello");
        TestClient.Response noRoute = proxy.send(HttpMethod.GET, "/nowhere", Map.of("Host", "other.example.com"), null);
        TestClient.Response noBackend = proxy.send(HttpMethod.GET, "/", Map.of("Host", DEAD), null);
        assertThat(List.of(get.status(), post.status(), noRoute.status(), noBackend.status())).containsExactly(200, 200, 404, 503);

        List<JsonObject> lines = awaitLines(4);
        assertThat(lines).hasSize(4);

        JsonObject g = byRequestId(lines, get.headers().get("X-Request-Id"));
        assertThat(g.fieldNames()).contains("time", "client", "method", "authority", "path", "protocol", "status", "bytesIn",
                "bytesOut", "durationMs", "upstreamMs", "pool", "backend", "attempts", "revision", "requestId", "flags");
        assertThat(Instant.parse(g.getString("time"))).isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(g.getString("client")).isEqualTo("127.0.0.1");
        assertThat(g.getString("method")).isEqualTo("GET");
        assertThat(g.getString("authority")).isEqualTo(SHOP);
        assertThat(g.getString("path")).isEqualTo("/hello?x=1");
        assertThat(g.getString("protocol")).isEqualTo("HTTP/1.1");
        assertThat(g.getInteger("status")).isEqualTo(200);
        assertThat(g.getLong("bytesIn")).isZero();
        assertThat(g.getLong("bytesOut")).isEqualTo("up".length());
        assertThat(g.getDouble("upstreamMs")).isGreaterThanOrEqualTo(0.0);
        assertThat(g.getDouble("durationMs")).isGreaterThanOrEqualTo(g.getDouble("upstreamMs"));
        assertThat(g.getString("pool")).isEqualTo("web");
        assertThat(g.getString("backend")).isEqualTo("up");
        assertThat(g.getInteger("attempts")).isEqualTo(1);
        assertThat(g.getLong("revision")).isEqualTo(7);
        assertThat(g.getString("flags")).isEqualTo("-");

        JsonObject p = byRequestId(lines, "req-42");
        assertThat(p.getString("method")).isEqualTo("POST");
        assertThat(p.getLong("bytesIn")).isEqualTo("hello".length());
        assertThat(p.getLong("bytesOut")).isEqualTo(post.body().getBytes(StandardCharsets.UTF_8).length);

        JsonObject nr = byRequestId(lines, noRoute.headers().get("X-Request-Id"));
        assertThat(nr.getInteger("status")).isEqualTo(404);
        assertThat(nr.getString("flags")).isEqualTo("NR");
        assertThat(nr.getValue("pool")).isNull();
        assertThat(nr.getValue("backend")).isNull();
        assertThat(nr.getValue("upstreamMs")).isNull();
        assertThat(nr.getInteger("attempts")).isZero();
        assertThat(nr.getLong("revision")).isEqualTo(7);

        JsonObject uh = byRequestId(lines, noBackend.headers().get("X-Request-Id"));
        assertThat(uh.getInteger("status")).isEqualTo(503);
        assertThat(uh.getString("flags")).isEqualTo("UH");
        assertThat(uh.getString("pool")).isEqualTo("gone");
        assertThat(uh.getValue("backend")).isNull();
        assertThat(uh.getInteger("attempts")).isZero();
        assertThat(uh.getLong("bytesOut")).isEqualTo(noBackend.body().getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void metricsCountRequestsByPoolAndClassWithADurationHistogram() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(proxy.send(HttpMethod.GET, "/", Map.of("Host", SHOP), null).status()).isEqualTo(200);
        }
        assertThat(proxy.send(HttpMethod.GET, "/", Map.of("Host", DEAD), null).status()).isEqualTo(503);
        assertThat(proxy.send(HttpMethod.GET, "/", Map.of("Host", "other.example.com"), null).status()).isEqualTo(404);

        // The series are bumped when the response ends, which the client may see a moment before.
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics().contains("ballast_request_duration_seconds_count{pool=\"web\"} 5"));
        String m = metrics();
        assertThat(m).contains("# TYPE ballast_requests_total counter",
                "ballast_requests_total{pool=\"web\",code_class=\"2xx\"} 5",
                "ballast_requests_total{pool=\"web\",code_class=\"5xx\"} 0",
                "ballast_requests_total{pool=\"gone\",code_class=\"5xx\"} 1",
                "ballast_requests_total{pool=\"gone\",code_class=\"2xx\"} 0",
                "ballast_requests_total{pool=\"-\",code_class=\"4xx\"} 1",
                "# TYPE ballast_request_duration_seconds histogram",
                "ballast_request_duration_seconds_bucket{pool=\"web\",le=\"+Inf\"} 5",
                "ballast_request_duration_seconds_count{pool=\"web\"} 5");
        // Buckets are cumulative: never decreasing, ending at the count.
        Matcher bucket = Pattern.compile("ballast_request_duration_seconds_bucket\\{pool=\"web\",le=\"([^\"]+)\"} (\\d+)").matcher(m);
        List<Long> counts = new ArrayList<>();
        List<String> bounds = new ArrayList<>();
        while (bucket.find()) {
            bounds.add(bucket.group(1));
            counts.add(Long.parseLong(bucket.group(2)));
        }
        assertThat(bounds).hasSizeGreaterThan(5).endsWith("+Inf").contains("0.005", "0.1", "1.0", "30.0");
        assertThat(counts).isSorted().last().isEqualTo(5L);
        // A loopback request takes far less than 30 s, so every one of them is under the largest finite bound.
        assertThat(counts.get(counts.size() - 2)).isEqualTo(5L);
        Matcher sum = Pattern.compile("ballast_request_duration_seconds_sum\\{pool=\"web\"} ([0-9.E-]+)").matcher(m);
        assertThat(sum.find()).isTrue();
        assertThat(Double.parseDouble(sum.group(1))).isGreaterThan(0.0).isLessThan(30.0 * 5);
        assertThat(m).containsPattern("ballast_response_bytes_total\\{pool=\"web\"} 10\n");
    }

    private String metrics() throws Exception {
        return admin.get("/metrics").body();
    }

    private List<JsonObject> awaitLines(int n) throws Exception {
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(logFile) && Files.readAllLines(logFile).size() >= n);
        // A little longer, so that a stray extra line (a request logged twice) would be seen.
        Thread.sleep(300);
        List<JsonObject> out = new ArrayList<>();
        for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
            out.add(new JsonObject(line));
        }
        return out;
    }

    private static JsonObject byRequestId(List<JsonObject> lines, String id) {
        assertThat(id).isNotBlank();
        List<JsonObject> found = lines.stream().filter(l -> id.equals(l.getString("requestId"))).toList();
        assertThat(found).as("lines with requestId %s", id).hasSize(1);
        return found.get(0);
    }
}
