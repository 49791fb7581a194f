package io.ballast.controlplane.push;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.controlplane.EmbeddedPostgresResource;
import io.ballast.controlplane.fleet.FleetRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fleet registry as data planes and operators see it: sync states, refusals, propagation, purge. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class FleetSyncTest {
    @TestHTTPResource("/api/v1/dataplanes/connect")
    URI http;

    @Inject
    FleetRegistry fleet;

    private URI ws() {
        return URI.create(http.toString().replaceFirst("^http", "ws"));
    }

    private static JsonPath node(String nodeId) {
        return admin().get("/api/v1/dataplanes/" + nodeId).then().statusCode(200).extract().jsonPath();
    }

    private static String syncState(String nodeId) {
        return node(nodeId).getString("syncState");
    }

    private static Map<String, Object> propagationOf(long revision, String nodeId) {
        return admin().get("/api/v1/revisions/" + revision).then().statusCode(200).extract().jsonPath()
                .getMap("propagation.find { it.nodeId == '" + nodeId + "' }");
    }

    private static void ack(WireClient dp, JsonNode snapshot) throws Exception {
        dp.send("{\"type\":\"ack\",\"revision\":%d,\"hash\":\"%s\"}".formatted(snapshot.get("revision").asLong(),
                snapshot.get("hash").asText()));
    }

    private static void heartbeat(WireClient dp) throws Exception {
        dp.send("{\"type\":\"heartbeat\",\"inFlight\":{},\"counters\":{}}");
    }

    @Test
    void aNodeMovesThroughPendingSyncedNackedAndStaleAndEveryAnswerIsTimed() throws Exception {
        String nodeId = unique("sync");
        try (WireClient dp = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            dp.send("{\"type\":\"hello\",\"nodeId\":\"%s\",\"version\":\"0.1.0\"}".formatted(nodeId));
            JsonNode first = dp.next("snapshot");
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(syncState(nodeId)).isEqualTo("PENDING"));
            long firstRevision = first.get("revision").asLong();
            assertThat(propagationOf(firstRevision, nodeId)).containsEntry("status", "PENDING");

            ack(dp, first);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(syncState(nodeId)).isEqualTo("SYNCED"));
            Map<String, Object> answered = propagationOf(firstRevision, nodeId);
            assertThat(answered).containsEntry("status", "ACKED");
            assertThat(((Number) answered.get("latencyMs")).longValue()).isNotNegative();
            assertThat(node(nodeId).getLong("latestRevision")).isEqualTo(firstRevision);

            admin().body("{\"name\":\"" + unique("sync-pool") + "\"}").post("/api/v1/pools").then().statusCode(201);
            JsonNode second = dp.next("snapshot");
            long secondRevision = second.get("revision").asLong();
            heartbeat(dp);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(syncState(nodeId)).isEqualTo("PENDING"));

            dp.send("""
                    {"type":"nack","revision":%d,"hash":"%s","errors":[{"field":"pools[0]","message":"cannot build"}]}"""
                    .formatted(secondRevision, second.get("hash").asText()));
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(syncState(nodeId)).isEqualTo("NACKED"));
            Map<String, Object> refused = propagationOf(secondRevision, nodeId);
            assertThat(refused).containsEntry("status", "NACKED");
            assertThat(refused.get("errors")).asString().contains("cannot build");

            // No heartbeat for longer than the test profile's 3 s: connected (pongs flow) but STALE.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(syncState(nodeId)).isEqualTo("STALE"));
            assertThat(node(nodeId).getBoolean("connected")).isTrue();
            heartbeat(dp);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(syncState(nodeId)).isEqualTo("NACKED"));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(syncState(nodeId)).isEqualTo("OFFLINE"));

        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("ballast_propagation_seconds_bucket").contains("ballast_propagation_seconds_count");
    }

    @Test
    void anAckThatWarnsOfAFailedCacheWriteIsTheDistinctStateCacheFailedUntilACleanAck() throws Exception {
        String nodeId = unique("cache");
        try (WireClient dp = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            dp.send("{\"type\":\"hello\",\"nodeId\":\"%s\",\"version\":\"0.1.0\"}".formatted(nodeId));
            JsonNode first = dp.next("snapshot");
            dp.send("{\"type\":\"ack\",\"revision\":%d,\"hash\":\"%s\",\"warnings\":[\"cache-write-failed: disk full\"]}"
                    .formatted(first.get("revision").asLong(), first.get("hash").asText()));
            heartbeat(dp);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(syncState(nodeId)).isEqualTo("CACHE_FAILED"));
            assertThat(node(nodeId).getList("ackWarnings")).containsExactly("cache-write-failed: disk full");
            assertThat(propagationOf(first.get("revision").asLong(), nodeId)).containsEntry("status", "ACKED");

            ack(dp, first);
            heartbeat(dp);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(syncState(nodeId)).isEqualTo("SYNCED"));
            assertThat(node(nodeId).getList("ackWarnings")).isEmpty();
        }
    }

    @Test
    void aDataPlaneOfAnUnsupportedMajorVersionIsRefusedWithItsReasonShown() throws Exception {
        String nodeId = unique("future");
        try (WireClient dp = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            dp.send("{\"type\":\"hello\",\"nodeId\":\"%s\",\"version\":\"7.2.0\"}".formatted(nodeId));
            assertThat(dp.closeCode()).isEqualTo(1008);
            assertThat(dp.closeReason()).contains("major version 7");
        }
        JsonPath row = node(nodeId);
        assertThat(row.getString("refusedReason")).contains("major version 7").contains("supported major versions: [0]");
        assertThat(row.getString("syncState")).isEqualTo("OFFLINE");
        assertThat(row.getBoolean("connected")).isFalse();
    }

    @Test
    void aHealthReportFarOverNettysDefaultFrameLimitKeepsTheSocketOpen() throws Exception {
        String nodeId = unique("big-report");
        try (WireClient dp = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            dp.send("{\"type\":\"hello\",\"nodeId\":\"%s\"}".formatted(nodeId));
            dp.next("snapshot");
            StringBuilder report = new StringBuilder("{\"type\":\"health\",\"observations\":[");
            for (int i = 0; i < 3_000; i++) {
                report.append(i == 0 ? "" : ",").append("""
                        {"pool":"pool-%d","backend":"backend-%d","state":"unhealthy","reason":"unhealthy:ConnectionRefused","at":1767225600000}"""
                        .formatted(i / 10, i));
            }
            String frame = report.append("]}").toString();
            assertThat(frame.length()).isGreaterThan(4 * 65_536);
            dp.send(frame);
            heartbeat(dp);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(node(nodeId).getString("lastHeartbeatAt"))
                    .as(node(nodeId).prettify()).isNotNull());
            assertThat(dp.isClosed()).isFalse();
        }
    }

    @Test
    void aNodeThatReconnectsIsNotStaleBeforeItsFirstHeartbeatOnTheNewSocket() throws Exception {
        String nodeId = unique("back");
        try (WireClient dp = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            dp.send("{\"type\":\"hello\",\"nodeId\":\"%s\",\"version\":\"0.1.0\"}".formatted(nodeId));
            ack(dp, dp.next("snapshot"));
            heartbeat(dp);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(syncState(nodeId)).isEqualTo("SYNCED"));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(syncState(nodeId)).isEqualTo("OFFLINE"));
        // Longer than the test profile's 3 s of missed heartbeats: the last heartbeat is now old.
        Thread.sleep(3_500);
        try (WireClient dp = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            dp.send("{\"type\":\"hello\",\"nodeId\":\"%s\",\"version\":\"0.1.0\"}".formatted(nodeId));
            JsonNode snapshot = dp.next("snapshot");
            ack(dp, snapshot);
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(node(nodeId).getBoolean("connected")).isTrue());
            // No heartbeat sent on this socket yet: the hello itself is the sign of life.
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(syncState(nodeId)).isEqualTo("SYNCED"));
            assertThat(Instant.parse(node(nodeId).getString("lastHeartbeatAt")))
                    .as("the last heartbeat is from the old socket").isBefore(Instant.parse(node(nodeId).getString("connectedAt")));
            // Without heartbeats on the new socket it does go STALE, 3 s after the hello.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(syncState(nodeId)).isEqualTo("STALE"));
        }
    }

    @Test
    void anUnknownNodeIsAProblem() {
        admin().get("/api/v1/dataplanes/" + unique("nobody")).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void nodesSilentLongerThanTheCutoffArePurged() throws Exception {
        String nodeId = unique("gone");
        try (WireClient dp = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            dp.send("{\"type\":\"hello\",\"nodeId\":\"%s\"}".formatted(nodeId));
            dp.next("snapshot");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(node(nodeId).getBoolean("connected")).isFalse());
        Instant lastSeen = Instant.parse(node(nodeId).getString("lastSeen"));

        assertThat(fleet.purgeSilentSince(lastSeen)).doesNotContain(nodeId);
        List<String> purged = fleet.purgeSilentSince(lastSeen.plusMillis(1));
        assertThat(purged).contains(nodeId);
        admin().get("/api/v1/dataplanes/" + nodeId).then().statusCode(404);
    }
}
