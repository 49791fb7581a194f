package io.ballast.controlplane.push;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.ballast.controlplane.health.HealthRetention;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Health reports and heartbeats of two data planes over the real WebSocket endpoint, and what the health API and
 * a confirmed drain make of them.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class HealthOverWireTest {
    @TestHTTPResource("/api/v1/dataplanes/connect")
    URI http;

    @Inject
    HealthRetention retention;

    @Inject
    DataSource db;

    private WireClient connect(String nodeId) throws Exception {
        WireClient dp = WireClient.open(URI.create(http.toString().replaceFirst("^http", "ws")), EmbeddedPostgresResource.DATAPLANE_TOKEN);
        dp.send("{\"type\":\"hello\",\"nodeId\":\"%s\",\"hostname\":\"h\",\"version\":\"test\"}".formatted(nodeId));
        dp.next("snapshot");
        return dp;
    }

    private static void health(WireClient dp, String pool, String backend, String state, String reason, long at) throws Exception {
        dp.send("{\"type\":\"health\",\"observations\":[{\"pool\":\"%s\",\"backend\":\"%s\",\"state\":\"%s\",\"reason\":\"%s\",\"at\":%d}]}"
                .formatted(pool, backend, state, reason, at));
    }

    private static void inFlight(WireClient dp, String pool, String backend, int n) throws Exception {
        dp.send("{\"type\":\"heartbeat\",\"inFlight\":{\"%s/%s\":%d}}".formatted(pool, backend, n));
    }

    private static JsonPath poolHealth(String pool) {
        return admin().get("/api/v1/pools/" + pool + "/health").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void observationsAggregateAcrossDataPlanesAndHistoryKeepsEveryTransitionInOrder() throws Exception {
        String pool = unique("hp");
        admin().body("{\"name\":\"" + pool + "\",\"backends\":[{\"name\":\"b1\",\"host\":\"10.6.0.1\",\"port\":80}]}")
                .post("/api/v1/pools").then().statusCode(201);
        long t = System.currentTimeMillis();
        try (WireClient one = connect(unique("n1")); WireClient two = connect(unique("n2"))) {
            health(one, pool, "b1", "initial", "initial", t);
            health(one, pool, "b1", "healthy", "healthy", t + 1);
            // History is in arrival order; two sockets are handled concurrently, so let one's reports land first.
            await().atMost(Duration.ofSeconds(10)).until(() -> events(pool).size() == 2);
            health(two, pool, "b1", "healthy", "healthy", t + 2);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(poolHealth(pool).getString("items[0].summary")).isEqualTo("healthy on 2 of 2 data planes"));
            assertThat(poolHealth(pool).getString("items[0].state")).isEqualTo("healthy");

            health(one, pool, "b1", "unhealthy", "unhealthy:ConnectionRefused", t + 3);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonPath h = poolHealth(pool);
                assertThat(h.getString("items[0].state")).isEqualTo("degraded");
                assertThat(h.getString("items[0].summary")).isEqualTo("healthy on 1 of 2 data planes");
                assertThat(h.getList("items[0].nodes.reason")).contains("unhealthy:ConnectionRefused", "healthy");
            });
            assertThat(admin().get("/api/v1/health").then().statusCode(200).extract().jsonPath()
                    .getList("items.findAll { it.pool == '" + pool + "' }.backend")).containsExactly("b1");

            // One item per transition: both data planes' "healthy" is one, naming both.
            JsonPath page1 = admin().get("/api/v1/health/events?pool=" + pool + "&backend=b1&limit=2").then().statusCode(200)
                    .extract().jsonPath();
            assertThat(page1.getList("items.reason")).containsExactly("initial", "healthy");
            assertThat(page1.getList("items[1].nodes.reason")).containsExactly("healthy", "healthy");
            assertThat(page1.getList("items[1].nodes.nodeId")).hasSize(2).doesNotHaveDuplicates();
            String next = page1.getString("next");
            assertThat(next).isNotNull();
            JsonPath page2 = admin().get("/api/v1/health/events?pool=" + pool + "&backend=b1&limit=2&after=" + next).then()
                    .statusCode(200).extract().jsonPath();
            assertThat(page2.getList("items.reason")).containsExactly("unhealthy:ConnectionRefused");
            assertThat(page2.getString("next")).isNull();
            // The reports themselves, one per data plane, on request.
            JsonPath perNode1 = admin().get("/api/v1/health/events?pool=" + pool + "&backend=b1&limit=2&group=node").then()
                    .statusCode(200).extract().jsonPath();
            assertThat(perNode1.getList("items.reason")).containsExactly("initial", "healthy");
            JsonPath perNode2 = admin().get("/api/v1/health/events?pool=" + pool + "&backend=b1&limit=2&group=node&after="
                    + perNode1.getString("next")).then().statusCode(200).extract().jsonPath();
            assertThat(perNode2.getList("items.reason")).containsExactly("healthy", "unhealthy:ConnectionRefused");
            String since = Instant.ofEpochMilli(t + 3).toString();
            assertThat(admin().get("/api/v1/health/events?pool=" + pool + "&since=" + since).then().statusCode(200)
                    .extract().jsonPath().getList("items.state")).containsExactly("unhealthy");
        }
        admin().get("/api/v1/health/events?since=yesterday").then().statusCode(400);
        admin().get("/api/v1/health/events?limit=0").then().statusCode(400);
        admin().get("/api/v1/health/events?group=pool").then().statusCode(400);
        admin().get("/api/v1/pools/" + unique("missing") + "/health").then().statusCode(404);
    }

    @Test
    void eventsSayFromWhatToWhatSkipRepeatsAndNeverRunBackwards() throws Exception {
        String pool = unique("hf");
        admin().body("{\"name\":\"" + pool + "\",\"backends\":[{\"name\":\"b1\",\"host\":\"10.6.0.3\",\"port\":80}]}")
                .post("/api/v1/pools").then().statusCode(201);
        long t = System.currentTimeMillis() - 60_000;
        try (WireClient dp = connect(unique("nf"))) {
            health(dp, pool, "b1", "healthy", "healthy", t);
            health(dp, pool, "b1", "draining", "draining", t + 1_000);
            await().atMost(Duration.ofSeconds(10)).until(() -> events(pool).size() == 2);
            // A re-sent view (same state and reason) is not a transition.
            health(dp, pool, "b1", "draining", "draining", t + 1_000);
            // Enabled again, but stamped with the checker's old time, before the drain.
            health(dp, pool, "b1", "healthy", "healthy", t);
            await().atMost(Duration.ofSeconds(10)).until(() -> events(pool).size() == 3);
            JsonPath history = admin().get("/api/v1/health/events?pool=" + pool).then().statusCode(200).extract().jsonPath();
            assertThat(history.getList("items.from")).containsExactly(null, "healthy", "draining");
            assertThat(history.getList("items.state")).containsExactly("healthy", "draining", "healthy");
            List<Instant> at = history.<String>getList("items.at").stream().map(Instant::parse).toList();
            assertThat(at).isSorted();
            assertThat(at.get(2)).isAfter(Instant.ofEpochMilli(t + 1_000));
        }
    }

    @Test
    void drainWithWaitAnswersOnlyWhenEveryDataPlaneReportsNothingInFlight() throws Exception {
        String pool = unique("dp");
        admin().body("{\"name\":\"" + pool + "\",\"backends\":[{\"name\":\"b1\",\"host\":\"10.6.0.2\",\"port\":80}]}")
                .post("/api/v1/pools").then().statusCode(201);
        String drain = "/api/v1/pools/" + pool + "/backends/b1/drain";
        admin().post(drain + "?wait=soon").then().statusCode(400);
        admin().post(drain + "?wait=drained&timeout=forever").then().statusCode(400);
        assertThat(admin().get("/api/v1/pools/" + pool + "/backends/b1").then().extract().jsonPath().getString("adminState"))
                .as("a bad parameter changes nothing").isEqualTo("enabled");

        try (WireClient one = connect(unique("n1")); WireClient two = connect(unique("n2"))) {
            long t = System.currentTimeMillis();
            health(one, pool, "b1", "healthy", "healthy", t);
            health(two, pool, "b1", "healthy", "healthy", t);
            CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() ->
                    admin().post(drain + "?wait=drained&timeout=20s&force=true").andReturn());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(admin().get("/api/v1/pools/" + pool + "/backends/b1").then().extract().jsonPath()
                            .getString("adminState")).isEqualTo("draining"));
            health(one, pool, "b1", "draining", "draining", t + 1);
            health(two, pool, "b1", "draining", "draining", t + 1);
            inFlight(one, pool, "b1", 2);
            inFlight(two, pool, "b1", 0);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(poolHealth(pool).getString("items[0].summary")).isEqualTo("draining (2 in flight)"));
            Thread.sleep(1_000);
            assertThat(waiting).as("still 2 requests in flight").isNotDone();

            inFlight(one, pool, "b1", 0);
            Response answer = waiting.get(10, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.jsonPath().getString("state")).isEqualTo("drained");
            assertThat(answer.jsonPath().getInt("inFlight")).isZero();
            assertThat(answer.jsonPath().getInt("dataPlanes")).isEqualTo(2);

            // enable?wait=healthy times out (202) while the data planes still report it draining.
            Response enable = admin().post("/api/v1/pools/" + pool + "/backends/b1/enable?wait=healthy&timeout=1s").andReturn();
            assertThat(enable.statusCode()).isEqualTo(202);
            assertThat(enable.jsonPath().getString("adminState")).isEqualTo("enabled");
        }
    }

    @Test
    void aDrainOfAnIdleBackendIsConfirmedByTheReportsAloneWithinASecond() throws Exception {
        String pool = unique("di");
        admin().body("{\"name\":\"" + pool + "\",\"backends\":[{\"name\":\"b1\",\"host\":\"10.6.0.4\",\"port\":80}]}")
                .post("/api/v1/pools").then().statusCode(201);
        String drain = "/api/v1/pools/" + pool + "/backends/b1/drain";
        try (WireClient one = connect(unique("n1")); WireClient two = connect(unique("n2"))) {
            long t = System.currentTimeMillis();
            health(one, pool, "b1", "healthy", "healthy", t);
            health(two, pool, "b1", "healthy", "healthy", t);
            // Heartbeats from before the drain, counting requests then in flight.
            inFlight(one, pool, "b1", 3);
            inFlight(two, pool, "b1", 1);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(poolHealth(pool).getString("items[0].summary")).isEqualTo("healthy on 2 of 2 data planes"));
            CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() ->
                    admin().post(drain + "?wait=drained&timeout=20s&force=true").andReturn());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(admin().get("/api/v1/pools/" + pool + "/backends/b1").then().extract().jsonPath()
                            .getString("adminState")).isEqualTo("draining"));
            String report = "{\"type\":\"health\",\"observations\":[{\"pool\":\"%s\",\"backend\":\"b1\",\"state\":\"draining\","
                    + "\"reason\":\"draining\",\"at\":%d,\"inFlight\":%d}]}";
            one.send(report.formatted(pool, t + 1, 0));
            two.send(report.formatted(pool, t + 1, 2));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(poolHealth(pool).getString("items[0].summary")).isEqualTo("draining (2 in flight)"));
            assertThat(waiting).as("two's report counted 2 in flight").isNotDone();

            long sent = System.nanoTime();
            inFlight(two, pool, "b1", 0);
            Response answer = waiting.get(10, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(1));
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.jsonPath().getString("state")).isEqualTo("drained");

            // A second drain of an idle backend: confirmed from the reports, no heartbeat at all.
            admin().post("/api/v1/pools/" + pool + "/backends/b1/enable").then().statusCode(200);
            health(one, pool, "b1", "healthy", "healthy", t + 2);
            health(two, pool, "b1", "healthy", "healthy", t + 2);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(poolHealth(pool).getString("items[0].state")).isEqualTo("healthy"));
            CompletableFuture<Response> again = CompletableFuture.supplyAsync(() ->
                    admin().post(drain + "?wait=drained&timeout=20s&force=true").andReturn());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(admin().get("/api/v1/pools/" + pool + "/backends/b1").then().extract().jsonPath()
                            .getString("adminState")).isEqualTo("draining"));
            long reported = System.nanoTime();
            one.send(report.formatted(pool, t + 3, 0));
            two.send(report.formatted(pool, t + 3, 0));
            assertThat(again.get(10, TimeUnit.SECONDS).jsonPath().getString("state")).isEqualTo("drained");
            assertThat(Duration.ofNanos(System.nanoTime() - reported)).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void downtimeOverTheLast15MinutesIsTheUnionOfWhatEveryDataPlaneSawDown() throws Exception {
        String pool = unique("dt");
        admin().body("{\"name\":\"" + pool + "\",\"backends\":[{\"name\":\"b1\",\"host\":\"10.6.0.5\",\"port\":80},"
                + "{\"name\":\"b2\",\"host\":\"10.6.0.6\",\"port\":80}]}").post("/api/v1/pools").then().statusCode(201);
        long now = System.currentTimeMillis();
        try (WireClient one = connect(unique("n1")); WireClient two = connect(unique("n2"))) {
            // one: healthy 20 min ago (before the window), down from -5 min to -2 min. two: down from -200 s to -100 s.
            health(one, pool, "b1", "healthy", "healthy", now - 1_200_000);
            health(one, pool, "b1", "unhealthy", "unhealthy:Timeout", now - 300_000);
            health(one, pool, "b1", "healthy", "healthy", now - 120_000);
            health(two, pool, "b1", "healthy", "healthy", now - 1_200_000);
            health(two, pool, "b1", "unhealthy", "unhealthy:ConnectionRefused", now - 200_000);
            health(two, pool, "b1", "healthy", "healthy", now - 100_000);
            // b2 has been down on one since before the window opened, and still is.
            health(one, pool, "b2", "unhealthy", "unhealthy:Timeout", now - 1_500_000);
            health(two, pool, "b2", "healthy", "healthy", now - 1_500_000);
            await().atMost(Duration.ofSeconds(10)).until(() -> events(pool).size() == 8);
            JsonPath h = poolHealth(pool);
            assertThat(h.getLong("items.find { it.backend == 'b1' }.downWindowSeconds")).isEqualTo(900);
            // [-300 s, -120 s] ∪ [-200 s, -100 s] = 200 s.
            assertThat(h.getLong("items.find { it.backend == 'b1' }.downSeconds")).isBetween(199L, 201L);
            assertThat(h.getLong("items.find { it.backend == 'b2' }.downSeconds")).isBetween(899L, 900L);
            assertThat(Instant.parse(h.getString("items.find { it.backend == 'b1' }.since")))
                    .isEqualTo(Instant.ofEpochMilli(now - 100_000));
        }
    }

    @Test
    void historyOlderThanTheRetentionIsPruned() throws Exception {
        String pool = unique("rp");
        admin().body("{\"name\":\"" + pool + "\",\"backends\":[{\"name\":\"b1\",\"host\":\"10.6.0.3\",\"port\":80}]}")
                .post("/api/v1/pools").then().statusCode(201);
        try (WireClient one = connect(unique("n1"))) {
            long t = System.currentTimeMillis();
            health(one, pool, "b1", "initial", "initial", t);
            health(one, pool, "b1", "healthy", "healthy", t + 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> events(pool).size() == 2);
        }
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE health_event SET received_at = now() - interval '400 hours' WHERE pool = ? AND reason = 'initial'")) {
            ps.setString(1, pool);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThat(retention.prune()).isGreaterThanOrEqualTo(1);
        assertThat(events(pool)).containsExactly("healthy");
    }

    private static List<String> events(String pool) {
        return admin().get("/api/v1/health/events?group=node&pool=" + pool).then().statusCode(200).extract().jsonPath().getList("items.reason");
    }

    @Test
    void eachTransitionIsOneEventNamingEveryDataPlaneEvenWithOtherReasonsLateReportsAndFlaps() throws Exception {
        String pool = unique("hg");
        admin().body("{\"name\":\"" + pool + "\",\"backends\":[{\"name\":\"b1\",\"host\":\"10.6.0.4\",\"port\":80},"
                + "{\"name\":\"b2\",\"host\":\"10.6.0.5\",\"port\":80}]}")
                .post("/api/v1/pools").then().statusCode(201);
        long t = System.currentTimeMillis() - 60_000;
        String n1 = unique("g1");
        String n2 = unique("g2");
        try (WireClient one = connect(n1); WireClient two = connect(n2)) {
            health(one, pool, "b1", "healthy", "healthy", t);
            await().atMost(Duration.ofSeconds(10)).until(() -> events(pool).size() == 1);
            // The second data plane's first look: no state left; still the same transition.
            health(two, pool, "b1", "healthy", "healthy", t + 1_500);
            await().atMost(Duration.ofSeconds(10)).until(() -> events(pool).size() == 2);
            JsonPath first = transitions(pool, null);
            assertThat(first.getList("items.state")).containsExactly("healthy");
            String cursor = first.getString("items[0].nodes[1].eventId");

            // Down, with a different reason on each data plane, the second seven seconds later.
            health(one, pool, "b1", "unhealthy", "unhealthy:Timeout", t + 10_000);
            await().atMost(Duration.ofSeconds(10)).until(() -> events(pool).size() == 3);
            JsonPath polled = transitions(pool, cursor);
            assertThat(polled.getList("items.nodes.nodeId")).containsExactly(List.of(n1));
            String downId = polled.getString("items[0].id");
            String cursor2 = polled.getString("items[0].nodes[0].eventId");
            health(two, pool, "b1", "unhealthy", "unhealthy:ConnectionRefused", t + 17_000);
            await().atMost(Duration.ofSeconds(10)).until(() -> events(pool).size() == 4);
            // A poll after the first report answers the transition again, complete, under the same id.
            JsonPath late = transitions(pool, cursor2);
            assertThat(late.getList("items.id").stream().map(String::valueOf)).containsExactly(downId);
            assertThat(late.getList("items[0].nodes.nodeId")).containsExactly(n1, n2);
            assertThat(late.getList("items[0].nodes.reason")).containsExactly("unhealthy:Timeout", "unhealthy:ConnectionRefused");
            assertThat(late.getString("items[0].from")).isEqualTo("healthy");
            assertThat(late.getString("items[0].reason")).isEqualTo("unhealthy:Timeout");

            // A flap the second data plane does not see in time: its next "unhealthy" is the new flap, not the old one.
            health(one, pool, "b1", "healthy", "healthy", t + 20_000);
            health(one, pool, "b1", "unhealthy", "unhealthy:Timeout", t + 22_000);
            await().atMost(Duration.ofSeconds(10)).until(() -> events(pool).size() == 6);
            health(two, pool, "b1", "healthy", "healthy", t + 21_000);
            health(two, pool, "b1", "unhealthy", "unhealthy:Timeout", t + 23_000);
            await().atMost(Duration.ofSeconds(10)).until(() -> events(pool).size() == 8);
            JsonPath all = transitions(pool, null);
            assertThat(all.getList("items.state")).containsExactly("healthy", "unhealthy", "healthy", "unhealthy");
            assertThat(all.<List<String>>getList("items.nodes.nodeId")).allSatisfy(nodes -> assertThat(nodes).containsExactly(n1, n2));

            // Long after: a separate transition.
            health(two, pool, "b1", "healthy", "healthy", t + 120_000);
            await().atMost(Duration.ofSeconds(10)).until(() -> events(pool).size() == 9);
            assertThat(transitions(pool, null).getList("items.nodes.nodeId").get(4)).isEqualTo(List.of(n2));

            // A new backend: one data plane's first look already finds it down, the other's sees "initial" first
            // (and reports it after the first one's "unhealthy"): its "unhealthy" still joins.
            health(two, pool, "b2", "unhealthy", "unhealthy:ConnectionRefused", t + 130_000);
            await().atMost(Duration.ofSeconds(10)).until(() -> events(pool).size() == 10);
            health(one, pool, "b2", "initial", "initial", t + 130_050);
            health(one, pool, "b2", "unhealthy", "unhealthy:ConnectionRefused", t + 130_080);
            await().atMost(Duration.ofSeconds(10)).until(() -> events(pool).size() == 12);
            JsonPath b2 = admin().get("/api/v1/health/events?pool=" + pool + "&backend=b2").then().statusCode(200).extract().jsonPath();
            assertThat(b2.getList("items.state")).containsExactly("unhealthy", "initial");
            assertThat(b2.getList("items[0].nodes.nodeId")).containsExactly(n2, n1);
            assertThat(b2.getString("items[0].from")).isEqualTo("initial");
        }
    }

    private static JsonPath transitions(String pool, String after) {
        return admin().get("/api/v1/health/events?pool=" + pool + (after == null ? "" : "&after=" + after)).then().statusCode(200)
                .extract().jsonPath();
    }
}
