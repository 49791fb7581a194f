package io.ballast.controlplane.push;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.controlplane.EmbeddedPostgresResource;
import io.ballast.controlplane.fleet.ControlPlaneInstance;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Canary rollouts through the real WebSocket endpoint: who is sent which revision while one bakes,
 * how the gates read heartbeats, and how a rollout ends (promoted by time, aborted by a gate or a
 * refusal, superseded by a forced write, taken over when its judge's lease runs out).
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class RolloutPushTest {
    private static final String BOUNDS = "[1.0,10.0,100.0,1000.0]";

    @TestHTTPResource("/api/v1/dataplanes/connect")
    URI http;

    @Inject
    EntityManager em;

    @Inject
    ControlPlaneInstance instance;

    private final List<WireClient> clients = new ArrayList<>();

    @AfterEach
    void endWhatIsBaking() throws Exception {
        for (WireClient c : clients) {
            c.close();
        }
        JsonPath newest = admin().get("/api/v1/rollouts?limit=1").then().statusCode(200).extract().jsonPath();
        if ("baking".equals(newest.getString("items[0].state"))) {
            admin().post("/api/v1/rollouts/" + newest.getLong("items[0].id") + "/abort").then().statusCode(200);
        }
    }

    /** A node that says hello with {@code labels} and acks the snapshot it is sent; returns it and that snapshot. */
    private Node connect(String nodeId, String labels) throws Exception {
        WireClient dp = WireClient.open(URI.create(http.toString().replaceFirst("^http", "ws")), EmbeddedPostgresResource.DATAPLANE_TOKEN);
        clients.add(dp);
        dp.send("{\"type\":\"hello\",\"nodeId\":\"" + nodeId + "\",\"hostname\":\"h\",\"version\":\"t\",\"labels\":{" + labels + "}}");
        Node node = new Node(nodeId, dp);
        node.ack(dp.next("snapshot"));
        return node;
    }

    private static final class Node {
        final String id;
        final WireClient wire;
        long revision;
        String hash;

        Node(String id, WireClient wire) {
            this.id = id;
            this.wire = wire;
        }

        void ack(JsonNode snapshot) throws Exception {
            revision = snapshot.get("revision").asLong();
            hash = snapshot.get("hash").asText();
            wire.send("{\"type\":\"ack\",\"revision\":%d,\"hash\":\"%s\"}".formatted(revision, hash));
        }

        void heartbeat(long requests, long errors, String latencyCounts) throws Exception {
            String latency = latencyCounts == null ? "" : ",\"durations\":{\"boundsMillis\":" + BOUNDS + ",\"counts\":" + latencyCounts + "}";
            wire.send(("{\"type\":\"heartbeat\",\"appliedRevision\":%d,\"appliedHash\":\"%s\",\"counters\":{\"requests\":%d,"
                    + "\"responses5xx\":%d}%s}").formatted(revision, hash, requests, errors, latency));
        }
    }

    private static ExtractableResponse<Response> canaryPool(String pool, String query) {
        return admin().body("{\"name\":\"" + pool + "\"}").post("/api/v1/pools?rollout=canary&" + query).then().extract();
    }

    private static JsonPath rollout(long id) {
        return admin().get("/api/v1/rollouts/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath awaitState(long id, String state) throws Exception {
        return awaitState(id, state, round -> { });
    }

    /** One more round of heartbeats, as data planes keep sending them while a rollout bakes. */
    private interface Beat {
        void send(int round) throws Exception;
    }

    /**
     * Waits for the rollout to reach {@code state}, sending round 2, 3, ... of {@code beat} before each look
     * (so one heartbeat the control plane read late or not at all does not decide the test, as it would not
     * decide a real rollout); a timeout shows what the gates last read.
     */
    private static JsonPath awaitState(long id, String state, Beat beat) throws Exception {
        int[] round = {2};
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            beat.send(round[0]++);
            JsonPath now = rollout(id);
            assertThat(now.getString("state")).as("rollout %d: %s", id, now.prettify()).isEqualTo(state);
        });
        return rollout(id);
    }

    @Test
    void onlyTheCohortGetsTheCanaryUntilTheBakeTimeIsOverThenEveryoneDoes() throws Exception {
        String label = unique("c");
        Node canary = connect(unique("canary"), "\"canary\":\"" + label + "\"");
        Node other = connect(unique("other"), "\"zone\":\"a\"");
        long base = other.revision;

        String pool = unique("canary-pool");
        ExtractableResponse<Response> write = canaryPool(pool, "cohort=canary=" + label + "&bakeTime=2s");
        assertThat(write.statusCode()).as(write.asString()).isEqualTo(201);
        long id = Long.parseLong(write.header("X-Ballast-Rollout"));
        long revision = Long.parseLong(write.header("X-Ballast-Revision"));

        canary.ack(canary.wire.next("snapshot"));
        assertThat(canary.revision).isEqualTo(revision);
        assertThat(other.wire.poll("snapshot", 500)).as("the rest of the fleet keeps revision " + base).isNull();

        JsonPath baking = rollout(id);
        assertThat(baking.getString("state")).isEqualTo("baking");
        assertThat(baking.getLong("baseRevision")).isEqualTo(base);
        assertThat(baking.getList("members.nodeId")).containsExactly(canary.id);
        assertThat(baking.getString("owner")).isEqualTo(instance.id());
        JsonPath others = admin().get("/api/v1/dataplanes/" + other.id).then().extract().jsonPath();
        assertThat(others.getLong("targetRevision")).isEqualTo(base);
        assertThat(others.getString("syncState")).as("held back on purpose, not behind").isEqualTo("SYNCED");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonPath propagation = admin().get("/api/v1/revisions/" + revision).then().statusCode(200).extract().jsonPath();
            assertThat(propagation.getString("propagation.find { it.nodeId == '" + canary.id + "' }.status")).isEqualTo("ACKED");
            assertThat(propagation.getString("propagation.find { it.nodeId == '" + other.id + "' }.status")).isEqualTo("HELD");
        });

        // Healthy traffic on both sides: two heartbeats each, so there is a window to measure.
        canary.heartbeat(100, 0, "[100,0,0,0,0]");
        other.heartbeat(100, 0, "[100,0,0,0,0]");
        Thread.sleep(50);
        canary.heartbeat(200, 0, "[200,0,0,0,0]");
        other.heartbeat(300, 1, "[300,0,0,0,0]");

        JsonPath promoted = awaitState(id, "promoted");
        assertThat(promoted.getString("endedBy")).isEqualTo("gates");
        assertThat(promoted.getLong("readings.cohort.requests")).isEqualTo(100);
        assertThat(promoted.getList("readings.gates.name")).containsExactly("nack", "errorRateIncrease", "p99Increase");
        assertThat(promoted.getList("readings.gates.exceeded", Boolean.class)).containsOnly(false);
        // Promotion records no revision; the rest is sent the canary now.
        JsonNode pushed = other.wire.next("snapshot");
        assertThat(pushed.get("revision").asLong()).isEqualTo(revision);
    }

    @Test
    void aCohortWithMore5xxThanTheRestIsAbortedAndPutBackOnTheBaseConfiguration() throws Exception {
        String label = unique("c");
        Node canary = connect(unique("canary"), "\"canary\":\"" + label + "\"");
        Node other = connect(unique("other"), "");
        String baseHash = other.hash;
        String pool = unique("bad-pool");
        ExtractableResponse<Response> write = canaryPool(pool, "cohort=canary=" + label + "&bakeTime=30s");
        long id = Long.parseLong(write.header("X-Ballast-Rollout"));
        canary.ack(canary.wire.next("snapshot"));

        canary.heartbeat(0, 0, null);
        other.heartbeat(0, 0, null);
        Thread.sleep(50);
        canary.heartbeat(40, 20, null);
        other.heartbeat(40, 0, null);

        JsonPath aborted = awaitState(id, "aborted", round -> {
            canary.heartbeat(40L * round, 20L * round, null);
            other.heartbeat(40L * round, 0, null);
        });
        assertThat(aborted.getString("endedBy")).isEqualTo("gates");
        assertThat(aborted.getString("reason")).contains("5xx rate 50.0% on the cohort against 0.0%");
        long abortRevision = aborted.getLong("abortRevision");
        // The cohort is sent a new revision equal to the base one; the rest already runs that hash.
        JsonNode back = canary.wire.next("snapshot");
        assertThat(back.get("revision").asLong()).isEqualTo(abortRevision);
        assertThat(back.get("hash").asText()).isEqualTo(baseHash);
        assertThat(other.wire.next("snapshot").get("hash").asText()).isEqualTo(baseHash);
        admin().get("/api/v1/pools/" + pool).then().statusCode(404);
        assertThat(admin().get("/api/v1/revisions/" + abortRevision).then().extract().<String>path("message"))
                .startsWith("rollout " + id + " aborted: 5xx rate");
    }

    @Test
    void aSlowerCohortIsAbortedByTheP99Gate() throws Exception {
        String label = unique("c");
        Node canary = connect(unique("canary"), "\"canary\":\"" + label + "\"");
        Node other = connect(unique("other"), "");
        long id = Long.parseLong(canaryPool(unique("slow-pool"), "cohort=canary=" + label + "&bakeTime=30s").header("X-Ballast-Rollout"));
        canary.ack(canary.wire.next("snapshot"));

        canary.heartbeat(0, 0, "[0,0,0,0,0]");
        other.heartbeat(0, 0, "[0,0,0,0,0]");
        Thread.sleep(50);
        // The rest answers within 1 ms; the cohort takes 100 ms to 1 s for most requests.
        canary.heartbeat(100, 0, "[10,0,0,90,0]");
        other.heartbeat(100, 0, "[100,0,0,0,0]");

        JsonPath aborted = awaitState(id, "aborted", round -> {
            canary.heartbeat(100L * round, 0, "[%d,0,0,%d,0]".formatted(10 * round, 90 * round));
            other.heartbeat(100L * round, 0, "[%d,0,0,0,0]".formatted(100 * round));
        });
        assertThat(aborted.getString("reason")).startsWith("p99 ").contains("on the cohort against");
        assertThat(aborted.getDouble("readings.cohort.p99Millis")).isGreaterThan(100);
    }

    @Test
    void aRefusalByTheCohortAbortsTheRollout() throws Exception {
        String label = unique("c");
        Node canary = connect(unique("canary"), "\"canary\":\"" + label + "\"");
        long id = Long.parseLong(canaryPool(unique("nack-pool"), "cohort=canary=" + label + "&bakeTime=30s").header("X-Ballast-Rollout"));
        JsonNode pushed = canary.wire.next("snapshot");
        canary.wire.send(("{\"type\":\"nack\",\"revision\":%d,\"hash\":\"%s\",\"errors\":[{\"field\":\"pools[0]\",\"message\":\"cannot build\"}]}")
                .formatted(pushed.get("revision").asLong(), pushed.get("hash").asText()));
        JsonPath aborted = awaitState(id, "aborted");
        assertThat(aborted.getString("reason")).isEqualTo("data plane " + canary.id + " refused revision "
                + pushed.get("revision").asLong() + ": pools[0]: cannot build");
    }

    @Test
    void whileOneBakesWritesAreRefusedUnlessForcedAndAForcedOneSupersedesIt() throws Exception {
        String label = unique("c");
        Node canary = connect(unique("canary"), "\"canary\":\"" + label + "\"");
        long id = Long.parseLong(canaryPool(unique("first"), "cohort=canary=" + label + "&bakeTime=30s").header("X-Ballast-Rollout"));
        canary.ack(canary.wire.next("snapshot"));

        String refused = unique("refused");
        admin().body("{\"name\":\"" + refused + "\"}").post("/api/v1/pools").then().statusCode(409);
        admin().get("/api/v1/pools/" + refused).then().statusCode(404);

        ExtractableResponse<Response> forced = admin().body("{\"name\":\"" + unique("forced") + "\"}").post("/api/v1/pools?force=true").then().extract();
        assertThat(forced.statusCode()).isEqualTo(201);
        JsonPath superseded = rollout(id);
        assertThat(superseded.getString("state")).isEqualTo("promoted");
        assertThat(superseded.getString("reason")).startsWith("superseded by revision " + forced.header("X-Ballast-Revision"));
    }

    @Test
    void aNodeThatConnectsDuringTheBakeIsSentItsSideOfTheSplit() throws Exception {
        String label = unique("c");
        Node first = connect(unique("canary"), "\"canary\":\"" + label + "\"");
        long base = first.revision;
        ExtractableResponse<Response> write = canaryPool(unique("late"), "cohort=canary=" + label + "&bakeTime=30s");
        long revision = Long.parseLong(write.header("X-Ballast-Revision"));
        first.ack(first.wire.next("snapshot"));

        Node lateCanary = connect(unique("late-canary"), "\"canary\":\"" + label + "\"");
        Node lateOther = connect(unique("late-other"), "\"canary\":\"no\"");
        assertThat(lateCanary.revision).isEqualTo(revision);
        assertThat(lateOther.revision).isEqualTo(base);
    }

    @Test
    void aCanaryWriteWaitsForTheCohortOnly() throws Exception {
        String label = unique("c");
        Node canary = connect(unique("canary"), "\"canary\":\"" + label + "\"");
        connect(unique("other"), "");
        Thread acker = new Thread(() -> {
            try {
                canary.ack(canary.wire.next("snapshot"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        acker.start();
        ExtractableResponse<Response> write = canaryPool(unique("waited"), "cohort=canary=" + label + "&bakeTime=30s&wait=converged&timeout=5s");
        acker.join();
        assertThat(write.statusCode()).as(write.asString()).isEqualTo(201);
        assertThat(write.header("X-Ballast-Converged")).isEqualTo("true");
    }

    @Test
    void anotherInstanceTakesOverWhenTheJudgesLeaseRunsOut() throws Exception {
        String label = unique("c");
        Node canary = connect(unique("canary"), "\"canary\":\"" + label + "\"");
        long id = Long.parseLong(canaryPool(unique("lease"), "cohort=canary=" + label + "&bakeTime=30s").header("X-Ballast-Rollout"));
        canary.ack(canary.wire.next("snapshot"));
        await().atMost(Duration.ofSeconds(5)).until(() -> instance.id().equals(rollout(id).getString("owner")));

        // A live instance elsewhere holds the lease: this one leaves the rollout alone.
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE rollouts SET owner = 'cp-elsewhere', lease_until = now() + interval '1 hour', readings = NULL WHERE id = ?1")
                .setParameter(1, id).executeUpdate());
        Thread.sleep(1000);
        assertThat(rollout(id).getString("owner")).isEqualTo("cp-elsewhere");
        assertThat(rollout(id).getString("readings")).isNull();

        // Its lease ran out (it died): this instance takes over within a tick and judges.
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE rollouts SET lease_until = now() - interval '1 second' WHERE id = ?1").setParameter(1, id).executeUpdate());
        await().atMost(Duration.ofSeconds(5)).until(() -> instance.id().equals(rollout(id).getString("owner")));
        assertThat(rollout(id).getString("readings.at")).isNotNull();
    }

    @Test
    void withoutAutoPromoteTheRolloutWaitsForAPromote() throws Exception {
        JsonPath before = admin().get("/api/v1/rollouts/policy").then().statusCode(200).extract().jsonPath();
        admin().body("{\"autoPromote\":false}").put("/api/v1/rollouts/policy").then().statusCode(200);
        try {
            String label = unique("c");
            Node canary = connect(unique("canary"), "\"canary\":\"" + label + "\"");
            Node other = connect(unique("other"), "");
            long id = Long.parseLong(canaryPool(unique("manual"), "cohort=canary=" + label + "&bakeTime=1s").header("X-Ballast-Rollout"));
            canary.ack(canary.wire.next("snapshot"));
            canary.heartbeat(0, 0, null);
            Thread.sleep(50);
            canary.heartbeat(5, 0, null);
            await().atMost(Duration.ofSeconds(10)).until(() -> "promote".equals(rollout(id).getString("waitingFor")));
            assertThat(rollout(id).getString("state")).isEqualTo("baking");
            assertThat(other.wire.poll("snapshot", 200)).isNull();

            JsonPath promoted = admin().post("/api/v1/rollouts/" + id + "/promote").then().statusCode(200).extract().jsonPath();
            assertThat(promoted.getString("state")).isEqualTo("promoted");
            assertThat(promoted.getString("endedBy")).isEqualTo("admin");
            assertThat(other.wire.next("snapshot").get("revision").asLong()).isEqualTo(promoted.getLong("revision"));
            admin().post("/api/v1/rollouts/" + id + "/promote").then().statusCode(409);
        } finally {
            admin().body(before.prettify()).put("/api/v1/rollouts/policy").then().statusCode(200);
        }
    }
}
