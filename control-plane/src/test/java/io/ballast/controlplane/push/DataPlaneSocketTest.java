package io.ballast.controlplane.push;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class DataPlaneSocketTest {
    @TestHTTPResource("/api/v1/dataplanes/connect")
    URI http;

    private URI ws() {
        return URI.create(http.toString().replaceFirst("^http", "ws"));
    }

    private static Map<String, Object> node(String nodeId) {
        return admin().get("/api/v1/dataplanes").then().statusCode(200).extract().jsonPath()
                .getMap("items.find { it.nodeId == '" + nodeId + "' }");
    }

    private static JsonPath latestRevision() {
        return admin().get("/api/v1/revisions?limit=1").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void helloSnapshotAckThenPushAfterAWrite() throws Exception {
        String nodeId = unique("node");
        try (WireClient dp = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            dp.send("""
                    {"type":"hello","nodeId":"%s","hostname":"proxy-1","version":"test","labels":{"zone":"a"}}""".formatted(nodeId));
            JsonNode snapshot = dp.next("snapshot");
            JsonPath latest = latestRevision();
            long revision = snapshot.get("revision").asLong();
            assertThat(revision).isEqualTo(latest.getLong("items[0].number"));
            assertThat(snapshot.get("hash").asText()).isEqualTo(latest.getString("items[0].hash"));
            assertThat(snapshot.get("config").has("pools")).isTrue();

            dp.send("{\"type\":\"ack\",\"revision\":%d,\"hash\":\"%s\"}".formatted(revision, snapshot.get("hash").asText()));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Map<String, Object> row = node(nodeId);
                assertThat(row).isNotNull();
                assertThat(row.get("connected")).isEqualTo(true);
                assertThat(((Number) row.get("appliedRevision")).longValue()).isEqualTo(revision);
                assertThat(row.get("appliedHash")).isEqualTo(snapshot.get("hash").asText());
                assertThat(row.get("hostname")).isEqualTo("proxy-1");
                assertThat(row.get("labels")).isEqualTo(Map.of("zone", "a"));
                assertThat(row.get("lastAckAt")).isNotNull();
            });

            // Frames the control plane does not understand are ignored, never a reason to hang up.
            dp.send("{\"type\":\"gossip\",\"rumour\":true}");
            dp.send("this is not json");
            dp.send("{\"no\":\"type\"}");
            dp.send("{\"type\":\"ack\",\"revision\":\"not a number\"}");
            dp.send("{\"type\":\"heartbeat\",\"appliedRevision\":%d,\"inFlight\":{\"web/b\":3}}".formatted(revision));

            String pool = unique("pushed");
            admin().body("{\"name\":\"" + pool + "\",\"backends\":[{\"host\":\"10.5.0.1\",\"port\":80}]}")
                    .post("/api/v1/pools").then().statusCode(201);
            JsonNode pushed = dp.next("snapshot");
            assertThat(pushed.get("revision").asLong()).isGreaterThan(revision);
            assertThat(pushed.get("hash").asText()).isEqualTo(latestRevision().getString("items[0].hash"));
            assertThat(pushed.at("/config/pools").findValuesAsText("name")).contains(pool);
            assertThat(dp.isClosed()).isFalse();

            dp.send("""
                    {"type":"nack","revision":%d,"hash":"%s","errors":[{"field":"pools[0]","message":"cannot build"}]}"""
                    .formatted(pushed.get("revision").asLong(), pushed.get("hash").asText()));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Map<String, Object> row = node(nodeId);
                assertThat(row.get("lastNack")).asString().contains("cannot build");
                assertThat(((Number) row.get("appliedRevision")).longValue()).isEqualTo(revision);
            });
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(node(nodeId).get("connected")).isEqualTo(false));
    }

    @Test
    void aReconnectWhoseOldSocketClosesMeanwhileStaysConnected() throws Exception {
        String nodeId = unique("flip");
        String hello = "{\"type\":\"hello\",\"nodeId\":\"%s\",\"hostname\":\"h\",\"version\":\"test\"}".formatted(nodeId);
        WireClient old = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN);
        old.send(hello);
        old.next("snapshot");
        for (int round = 0; round < 15; round++) {
            // The new socket's hello and the old socket's close race on two worker threads.
            WireClient fresh = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN);
            fresh.send(hello);
            old.close();
            fresh.next("snapshot");
            old = fresh;
            await().during(Duration.ofMillis(150)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(admin().get("/api/v1/dataplanes/" + nodeId).then().statusCode(200).extract().jsonPath()
                            .getBoolean("connected")).isTrue());
        }
        old.close();
    }

    @Test
    void sendsPings() throws Exception {
        try (WireClient dp = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            dp.send("{\"type\":\"hello\",\"nodeId\":\"%s\"}".formatted(unique("pinged")));
            dp.next("snapshot");
            assertThat(dp.next("ping").get("at").asLong()).isPositive();
        }
    }

    @Test
    void pongsToWebSocketPingsKeepANodeFreshWithoutAnyFrame() throws Exception {
        String nodeId = unique("quiet");
        try (WireClient dp = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            dp.send("{\"type\":\"hello\",\"nodeId\":\"%s\"}".formatted(nodeId));
            dp.next("snapshot");
            Object firstSeen = await().atMost(Duration.ofSeconds(10)).until(() -> node(nodeId), n -> n != null).get("lastSeen");
            // The client sends nothing more; only its automatic pongs can move lastSeen.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(node(nodeId).get("lastSeen")).isNotEqualTo(firstSeen));
            assertThat(node(nodeId).get("connected")).isEqualTo(true);
        }
    }

    @Test
    void refusesTheUpgradeWithoutADataPlaneToken() {
        assertRefused(null, 401);
        assertRefused("blst_wrong", 401);
        assertRefused(EmbeddedPostgresResource.ADMIN_TOKEN, 403);
    }

    private void assertRefused(String token, int status) {
        assertThatThrownBy(() -> WireClient.connect(ws(), token, new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(status));
    }
}
