package io.ballast.e2e;

import static io.ballast.e2e.E2e.awaitApplied;
import static io.ballast.e2e.E2e.awaitServing;
import static io.ballast.e2e.E2e.created;
import static io.ballast.e2e.E2e.json;
import static io.ballast.e2e.E2e.latestRevision;
import static io.ballast.e2e.E2e.status;
import static io.ballast.e2e.E2e.webPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.model.snapshot.ConfigSnapshot;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Config distribution under faults, with real processes and one real PostgreSQL owned by the test:
 * several control planes sharing it, control planes and the database stopped under steady load.
 */
class FleetResilienceEndToEndTest {
    private final Closer closer = new Closer();

    @AfterEach
    void stopEverything() throws Exception {
        closer.close();
    }

    @Test
    void aWriteThroughOneControlPlaneReachesTheOthersNodesAndKillingOneMovesThemAndAMalformedSnapshotIsNacked() throws Exception {
        SharedDatabase db = closer.later(SharedDatabase.start());
        ControlPlane a = closer.later(ControlPlane.start("e2e-cp-a", db));
        ControlPlane b = closer.later(ControlPlane.start("e2e-cp-b", db));
        TestBackend one = closer.later(TestBackend.start("one"));
        TestBackend two = closer.later(TestBackend.start("two"));
        TestBackend three = closer.later(TestBackend.start("three"));
        webPool(a.admin(), one.port());

        DataPlane onA = closer.later(DataPlane.start("e2e-on-a", a.url(), ManagedProcess.tempDir("ballast-e2e-dp-a")));
        DataPlane onB = closer.later(DataPlane.start("e2e-on-b", b.url() + "," + a.url(), ManagedProcess.tempDir("ballast-e2e-dp-b")));
        awaitServing(onA, "one");
        awaitServing(onB, "one");
        SteadyLoad load = closer.later(SteadyLoad.start(onA.proxy(), "/steady"));
        String instanceA = controlPlaneOf(a, onA);
        String instanceB = controlPlaneOf(a, onB);
        assertThat(instanceB).isNotEqualTo(instanceA);

        // Written through A, applied by the node connected to B (B learns of it by NOTIFY).
        created(a.admin().post("/pools/web/backends", "{\"name\": \"b\", \"host\": \"127.0.0.1\", \"port\": " + two.port() + "}"));
        long second = latestRevision(a.admin());
        awaitApplied(onB, second);
        awaitApplied(onA, second);

        // B crashes: its node reconnects to A and keeps receiving changes.
        b.kill();
        await("e2e-on-b moves to A").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(controlPlaneOf(a, onB)).isEqualTo(instanceA));
        created(a.admin().post("/pools/web/backends", "{\"name\": \"c\", \"host\": \"127.0.0.1\", \"port\": " + three.port() + "}"));
        long third = latestRevision(a.admin());
        awaitApplied(onB, third);

        // An inconsistent snapshot (a route to a pool that does not exist) committed behind the API's back:
        // every node refuses it, keeps serving the last good config, and the registry shows why.
        long broken = commitInconsistentRevision(db);
        for (DataPlane dp : List.of(onA, onB)) {
            await(dp.nodeId() + " nacks revision " + broken).atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode node = json(a.admin().get("/dataplanes/" + dp.nodeId()));
                assertThat(node.path("syncState").asText()).as(node.toString()).isEqualTo("NACKED");
                assertThat(node.path("lastNack").path("revision").asLong()).isEqualTo(broken);
                assertThat(node.path("lastNack").path("errors").toString()).contains("missing-pool");
            });
            assertThat(status(dp).path("appliedRevision").asLong()).isEqualTo(third);
        }
        JsonNode revision = json(a.admin().get("/revisions/" + broken));
        assertThat(revision.path("propagation").findValuesAsText("status")).containsOnly("NACKED");
        JsonNode good = json(a.admin().get("/revisions/" + third));
        assertThat(good.path("propagation").findValuesAsText("status")).containsOnly("ACKED");

        load.close();
        assertThat(load.failures()).as("failed requests").isEmpty();
        assertThat(load.succeeded()).isPositive();
    }

    @Test
    void everyControlPlaneAndThenPostgresStoppedUnderLoadBreakNoRequestAndEverythingRecovers() throws Exception {
        SharedDatabase db = closer.later(SharedDatabase.start());
        ControlPlane a = closer.later(ControlPlane.start("e2e-cp-solo", db));
        TestBackend one = closer.later(TestBackend.start("one"));
        webPool(a.admin(), one.port());
        DataPlane dp = closer.later(DataPlane.start("e2e-survivor", a.url(), ManagedProcess.tempDir("ballast-e2e-dp-s")));
        awaitServing(dp, "one");
        SteadyLoad load = closer.later(SteadyLoad.start(dp.proxy(), "/steady"));

        // PostgreSQL stops: the API answers 503 problems, readiness goes down, traffic does not notice.
        db.stopServer();
        await("API answers 503").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> write = a.admin().post("/pools", "{\"name\": \"during-outage\"}");
            assertThat(write.statusCode()).as(write.body()).isEqualTo(503);
            assertThat(write.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        });
        assertThat(new Http(a.url(), null).get("/q/health/ready").statusCode()).isEqualTo(503);
        assertThat(a.admin().get("/pools/web").statusCode()).isEqualTo(503);

        // It returns: everything recovers by itself, nothing written before is lost, and new writes flow.
        db.startServer();
        await("API recovers").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(new Http(a.url(), null).get("/q/health/ready").statusCode()).isEqualTo(200));
        assertThat(json(a.admin().get("/pools/web")).path("backends").findValuesAsText("name")).containsExactly("a");
        created(a.admin().post("/pools", "{\"name\": \"after-outage\"}"));
        awaitApplied(dp, latestRevision(a.admin()));

        // Every control plane stops: the node says it is disconnected and keeps serving.
        a.stop();
        await("data plane reports itself disconnected").atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(status(dp).path("controlPlane").path("connected").asBoolean()).isFalse());
        long before = load.succeeded();
        await("traffic flows with no control plane").atMost(Duration.ofSeconds(10)).until(() -> load.succeeded() > before + 50);

        // A change is made meanwhile through another instance (not one this node knows)...
        ControlPlane other = closer.later(ControlPlane.start("e2e-cp-other", db));
        created(other.admin().post("/pools", "{\"name\": \"while-away\"}"));
        long newest = latestRevision(other.admin());
        other.stop();
        // ...and when its control plane returns, the node resyncs to the newest revision.
        a.start();
        awaitApplied(dp, newest);
        assertThat(status(dp).path("controlPlane").path("connected").asBoolean()).isTrue();
        await("registry shows it synced").atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(json(a.admin().get("/dataplanes/" + dp.nodeId())).path("syncState").asText()).isEqualTo("SYNCED"));

        load.close();
        assertThat(load.failures()).as("failed requests").isEmpty();
        assertThat(load.succeeded()).isPositive();
    }

    private static String controlPlaneOf(ControlPlane api, DataPlane dp) throws Exception {
        return await().atMost(Duration.ofSeconds(15)).until(() -> {
            JsonNode node = json(api.admin().get("/dataplanes/" + dp.nodeId()));
            return node.path("connected").asBoolean() ? node.path("controlPlane").asText() : null;
        }, id -> id != null);
    }

    /** Inserts a revision whose route names a pool that does not exist and announces it, as the recorder would. */
    private static long commitInconsistentRevision(SharedDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            long number;
            String json;
            try (PreparedStatement latest = c.prepareStatement("SELECT number, snapshot_json FROM revisions ORDER BY number DESC LIMIT 1");
                 ResultSet rs = latest.executeQuery()) {
                rs.next();
                number = rs.getLong(1) + 1;
                json = rs.getString(2);
            }
            ObjectNode snapshot = (ObjectNode) E2e.JSON.readTree(json);
            snapshot.withArray("routes").addObject().put("name", "broken").put("pool", "missing-pool");
            String canonical = ConfigSnapshot.fromJson(snapshot.toString()).canonicalJson();
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO revisions (number, author, message, snapshot_json, hash) VALUES (?, 'e2e', 'inconsistent', ?, ?)")) {
                insert.setLong(1, number);
                insert.setString(2, canonical);
                insert.setString(3, ConfigSnapshot.sha256(canonical));
                insert.executeUpdate();
            }
            try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify('ballast_revisions', ?)")) {
                notify.setString(1, Long.toString(number));
                notify.executeQuery().close();
            }
            c.commit();
            return number;
        }
    }
}
