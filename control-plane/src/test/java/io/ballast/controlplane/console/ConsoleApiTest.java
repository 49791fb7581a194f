package io.ballast.controlplane.console;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.as;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.ballast.controlplane.security.Role;
import io.ballast.controlplane.security.TokenService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class ConsoleApiTest {
    @TestHTTPResource("/api/v1/dataplanes/connect")
    URI connect;

    @Inject
    TokenService tokens;

    @Test
    void meAnswersTheCallersNameAndRole() {
        String name = unique("viewer");
        String secret = tokens.issue(name, Role.VIEWER);
        as(secret).get("/api/v1/me").then().statusCode(200).body("name", equalTo(name)).body("role", equalTo("viewer"));
        admin().get("/api/v1/me").then().statusCode(200).body("role", equalTo("admin"));
        RestAssured.given().get("/api/v1/me").then().statusCode(401);
        RestAssured.given().header("Authorization", "Bearer " + EmbeddedPostgresResource.DATAPLANE_TOKEN)
                .get("/api/v1/me").then().statusCode(403);
    }

    @Test
    void theConsoleIsServedAtTheRootWithoutAToken() {
        String html = RestAssured.given().get("/").then().statusCode(200)
                .header("Content-Security-Policy", equalTo(ConsoleSecurityHeaders.POLICY))
                .header("X-Frame-Options", equalTo("DENY"))
                .extract().asString();
        assertThat(html).contains("<script type=\"module\" src=\"app.js\"></script>");
        // Everything the page loads is local: no CDN, no remote fonts.
        assertThat(html).doesNotContain("http://", "https://");
        RestAssured.given().get("/app.js").then().statusCode(200);
    }

    @Test
    void trafficOfAnUnknownPoolIs404AndNeedsAToken() {
        admin().get("/api/v1/pools/" + unique("nope") + "/traffic").then().statusCode(404)
                .body("detail", org.hamcrest.Matchers.containsString("does not exist"));
        RestAssured.given().get("/api/v1/traffic").then().statusCode(401);
    }

    @Test
    void heartbeatCountersBecomeThePoolsTrafficSeries() throws Exception {
        String pool = unique("traffic");
        admin().body("{\"name\":\"" + pool + "\",\"backends\":[{\"name\":\"a\",\"host\":\"10.9.0.1\",\"port\":80}]}")
                .post("/api/v1/pools").then().statusCode(201);
        String viewer = tokens.issue(unique("viewer"), Role.VIEWER);
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + EmbeddedPostgresResource.DATAPLANE_TOKEN)
                .buildAsync(URI.create(connect.toString().replaceFirst("^http", "ws")), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        ws.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            String node = unique("node");
            socket.sendText("{\"type\":\"hello\",\"nodeId\":\"" + node + "\",\"hostname\":\"h\",\"version\":\"t\"}", true).get();
            socket.sendText(heartbeat(pool, 1000, 10), true).get();
            socket.sendText(heartbeat(pool, 1400, 50), true).get();

            // The increment lands in the current bucket, which the API shows once it is complete (≤ 10 s).
            await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Map<String, Object> traffic = as(viewer).get("/api/v1/pools/" + pool + "/traffic")
                        .then().statusCode(200).body("bucketSeconds", equalTo(10)).body("points", hasSize(90))
                        .extract().jsonPath().getMap("");
                List<Map<String, Object>> points = (List<Map<String, Object>>) traffic.get("points");
                double requests = points.stream().mapToDouble(p -> ((Number) p.get("requestsPerSecond")).doubleValue()).sum();
                double errors = points.stream().mapToDouble(p -> ((Number) p.get("errorsPerSecond")).doubleValue()).sum();
                assertThat(requests).isEqualTo(40.0);
                assertThat(errors).isEqualTo(4.0);
            });
            Map<String, Object> fleetPool = as(viewer).get("/api/v1/traffic").then().statusCode(200)
                    .extract().jsonPath().getMap("pools.'" + pool + "'");
            assertThat(fleetPool).containsEntry("inFlight", 3);
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPoolsTrafficShowsOpenConnectionsQueuedRequestsAndEachBackendsLatestCheck() throws Exception {
        String pool = unique("gauges");
        admin().body("{\"name\":\"" + pool + "\",\"backends\":[{\"name\":\"a\",\"host\":\"10.9.0.2\",\"port\":80}]}")
                .post("/api/v1/pools").then().statusCode(201);
        String viewer = tokens.issue(unique("viewer"), Role.VIEWER);
        long t = System.currentTimeMillis();
        String n1 = unique("gn1");
        String n2 = unique("gn2");
        WebSocket one = dataPlane(n1);
        WebSocket two = dataPlane(n2);
        try {
            one.sendText("""
                    {"type":"heartbeat","appliedRevision":1,"inFlight":{"%1$s/a":1},"connections":{"%1$s/a":2},"queued":{"%1$s":3},
                     "probes":{"%1$s/a":{"at":%2$d,"passed":true,"status":200}}}""".formatted(pool, t - 3_000), true).get();
            two.sendText("""
                    {"type":"heartbeat","appliedRevision":1,"inFlight":{"%1$s/a":0},"connections":{"%1$s/a":1},
                     "probes":{"%1$s/a":{"at":%2$d,"passed":false,"failure":"ConnectionRefused"}}}""".formatted(pool, t - 1_000), true).get();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                io.restassured.path.json.JsonPath traffic = as(viewer).get("/api/v1/pools/" + pool + "/traffic").then().statusCode(200)
                        .extract().jsonPath();
                assertThat(traffic.getInt("queued")).isEqualTo(3);
                assertThat(traffic.getInt("backends.a.connections")).isEqualTo(3);
                assertThat(traffic.getInt("backends.a.inFlight")).isEqualTo(1);
                assertThat(traffic.getString("backends.a.lastCheck.nodeId")).isEqualTo(n2);
                assertThat(traffic.getBoolean("backends.a.lastCheck.passed")).isFalse();
                assertThat(traffic.getString("backends.a.lastCheck.failure")).isEqualTo("ConnectionRefused");
                assertThat(java.time.Instant.parse(traffic.getString("backends.a.lastCheck.at"))).isEqualTo(java.time.Instant.ofEpochMilli(t - 1_000));
                assertThat(traffic.getList("backends.a.lastCheck.nodes.nodeId")).containsExactly(n2, n1);
                assertThat(traffic.getInt("backends.a.lastCheck.nodes[1].status")).isEqualTo(200);
            });
        } finally {
            one.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
            two.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        }
    }

    private WebSocket dataPlane(String node) throws Exception {
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + EmbeddedPostgresResource.DATAPLANE_TOKEN)
                .buildAsync(URI.create(connect.toString().replaceFirst("^http", "ws")), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        ws.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"hello\",\"nodeId\":\"" + node + "\",\"hostname\":\"h\",\"version\":\"t\"}", true).get();
        return socket;
    }

    private static String heartbeat(String pool, long requests, long errors) {
        return """
                {"type":"heartbeat","appliedRevision":1,"inFlight":{"%1$s/a":3},
                 "counters":{"requests:%1$s":%2$d,"responses5xx:%1$s":%3$d,"requests:%1$s/a":%2$d,"responses5xx:%1$s/a":%3$d}}"""
                .formatted(pool, requests, errors);
    }
}
