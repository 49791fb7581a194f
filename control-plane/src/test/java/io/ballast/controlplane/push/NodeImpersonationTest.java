package io.ballast.controlplane.push;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, finding 5: a data-plane token's holder cannot speak for a node id another token registered, node ids
 * and what a hello says beside them must be safe to log, and a hello's health replaces what the node reported
 * before. Over the real WebSocket endpoint with real tokens.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class NodeImpersonationTest {
    @TestHTTPResource("/api/v1/dataplanes/connect")
    URI http;

    private URI ws() {
        return URI.create(http.toString().replaceFirst("^http", "ws"));
    }

    private static String dataPlaneToken(String name) {
        return admin().body("{\"name\":\"" + name + "\",\"role\":\"dataplane\"}").post("/api/v1/tokens")
                .then().statusCode(201).extract().path("secret");
    }

    private static String hello(String nodeId, String hostname, String healthJson) {
        return "{\"type\":\"hello\",\"nodeId\":\"%s\",\"hostname\":\"%s\",\"version\":\"test\"%s}"
                .formatted(nodeId, hostname, healthJson == null ? "" : ",\"health\":" + healthJson);
    }

    private static String observation(String pool, String backend, String state, String reason, long at) {
        return "{\"pool\":\"%s\",\"backend\":\"%s\",\"state\":\"%s\",\"reason\":\"%s\",\"at\":%d}".formatted(pool, backend, state, reason, at);
    }

    private static Map<String, Object> node(String nodeId) {
        return admin().get("/api/v1/dataplanes/" + nodeId).then().statusCode(200).extract().jsonPath().getMap("");
    }

    /** The state {@code nodeId} reports for a backend, {@code unknown} when it reported nothing. */
    private static String reported(String pool, String backend, String nodeId) {
        return admin().get("/api/v1/pools/" + pool + "/health").then().statusCode(200).extract().jsonPath()
                .getString("items.find { it.backend == '" + backend + "' }.nodes.find { it.nodeId == '" + nodeId + "' }.state");
    }

    private static void createPool(String pool, String... backends) {
        StringBuilder list = new StringBuilder();
        int i = 1;
        for (String b : backends) {
            list.append(list.isEmpty() ? "" : ",").append("{\"name\":\"%s\",\"host\":\"10.15.0.%d\",\"port\":80}".formatted(b, i++));
        }
        admin().body("{\"name\":\"" + pool + "\",\"backends\":[" + list + "]}").post("/api/v1/pools").then().statusCode(201);
    }

    @Test
    void aHelloForANodeIdOfAnotherTokenIsRefusedAndChangesNothingOfTheRealNode() throws Exception {
        String pool = unique("imp");
        createPool(pool, "b1");
        String nodeId = unique("edge");
        long t = System.currentTimeMillis();
        try (WireClient real = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            real.send(hello(nodeId, "real-host", "[" + observation(pool, "b1", "healthy", "healthy", t) + "]"));
            real.next("snapshot");
            await().atMost(Duration.ofSeconds(10)).until(() -> "healthy".equals(reported(pool, "b1", nodeId)));

            String attackerToken = dataPlaneToken(unique("other-dp"));
            for (String attempt : List.of(
                    hello(nodeId, "evil-host", "[" + observation(pool, "b1", "unhealthy", "unhealthy:Timeout", t + 1) + "]"),
                    hello(nodeId, "evil-host", null))) {
                try (WireClient attacker = WireClient.open(ws(), attackerToken)) {
                    attacker.send(attempt);
                    assertThat(attacker.closeCode()).isEqualTo(1008);
                    assertThat(attacker.closeReason()).isEqualTo("node id is bound to another data-plane token");
                }
            }
            // The real node kept its socket, its row and its health.
            assertThat(real.isClosed()).isFalse();
            Map<String, Object> row = node(nodeId);
            assertThat(row.get("connected")).isEqualTo(true);
            assertThat(row.get("hostname")).isEqualTo("real-host");
            assertThat(row.get("refusedReason")).isNull();
            assertThat(reported(pool, "b1", nodeId)).isEqualTo("healthy");
            real.send("{\"type\":\"heartbeat\"}");

            // The owner itself may reconnect: its newer socket replaces the older one.
            try (WireClient again = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
                again.send(hello(nodeId, "real-host", null));
                again.next("snapshot");
                assertThat(real.closeCode()).isEqualTo(1008);
                assertThat(real.closeReason()).isEqualTo("replaced by a newer connection");
            }
        }
    }

    @Test
    void deletingTheOwningTokenReleasesItsNodeIds() throws Exception {
        String nodeId = unique("moved");
        String tokenName = unique("old-dp");
        String oldToken = dataPlaneToken(tokenName);
        try (WireClient first = WireClient.open(ws(), oldToken)) {
            first.send(hello(nodeId, "h", null));
            first.next("snapshot");
        }
        try (WireClient other = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            other.send(hello(nodeId, "h", null));
            assertThat(other.closeCode()).isEqualTo(1008);
        }
        admin().delete("/api/v1/tokens/" + tokenName).then().statusCode(204);
        try (WireClient other = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            other.send(hello(nodeId, "h", null));
            other.next("snapshot");
            assertThat(other.isClosed()).isFalse();
        }
    }

    @Test
    void nodeIdsAndHelloTextThatCouldForgeALogLineOrCarryMarkupAreRefused() throws Exception {
        String longId = "a".repeat(254);
        List<String> hellos = List.of(
                hello("edge\\r\\nINFO forged line", "h", null),
                hello("edge\\nx", "h", null),
                hello("<script>alert(1)</script>", "h", null),
                hello("../../etc", "h", null),
                hello("-leading-dash", "h", null),
                hello("", "h", null),
                hello("a b", "h", null),
                hello(longId, "h", null),
                hello(unique("ok"), "host\\r\\nforged", null),
                hello(unique("ok"), "<img src=x onerror=alert(1)>", null),
                "{\"type\":\"hello\",\"hostname\":\"h\",\"version\":\"test\"}",
                "{\"type\":\"hello\",\"nodeId\":\"%s\",\"version\":\"test\\u0000\"}".formatted(unique("ok")),
                "{\"type\":\"hello\",\"nodeId\":\"%s\",\"version\":\"test\",\"labels\":{\"zone\":\"a\\nb\"}}".formatted(unique("ok")));
        for (String frame : hellos) {
            try (WireClient dp = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
                dp.send(frame);
                assertThat(dp.closeCode()).as(frame).isEqualTo(1008);
                assertThat(dp.closeReason()).as(frame).startsWith("invalid hello: ");
            }
        }
        admin().get("/api/v1/dataplanes").then().statusCode(200)
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("forged")))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("<script>")));
        // Hostname-like ids pass: dots, dashes, underscores, upper case, 253 characters.
        for (String ok : List.of("edge-1.eu-west.example.com", "EDGE_2", "a".repeat(253))) {
            try (WireClient dp = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
                dp.send(hello(ok, "h", null));
                dp.next("snapshot");
            }
        }
    }

    @Test
    void theHealthInAHelloReplacesEverythingTheNodeReportedBefore() throws Exception {
        String pool = unique("rep");
        createPool(pool, "b1", "b2", "b3");
        String nodeId = unique("n");
        long t = System.currentTimeMillis();
        try (WireClient dp = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            dp.send(hello(nodeId, "h", null));
            dp.next("snapshot");
            dp.send("{\"type\":\"health\",\"observations\":[%s,%s]}".formatted(
                    observation(pool, "b1", "unhealthy", "unhealthy:Timeout", t),
                    observation(pool, "b2", "unhealthy", "unhealthy:ConnectionRefused", t)));
            await().atMost(Duration.ofSeconds(10)).until(() -> "unhealthy".equals(reported(pool, "b2", nodeId)));
        }
        // While disconnected b1 recovered and b2 left the node's config; the hello says so in full.
        try (WireClient dp = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            dp.send(hello(nodeId, "h", "[%s,%s]".formatted(
                    observation(pool, "b1", "healthy", "healthy", t + 5),
                    observation(pool, "b3", "initial", "initial", t + 5))));
            dp.next("snapshot");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(reported(pool, "b1", nodeId)).isEqualTo("healthy");
                assertThat(reported(pool, "b2", nodeId)).isEqualTo("unknown");
                assertThat(reported(pool, "b3", nodeId)).isEqualTo("initial");
            });
            // History shows what changed while the node was away.
            assertThat(admin().get("/api/v1/health/events?pool=" + pool + "&backend=b1").then().statusCode(200)
                    .extract().jsonPath().getList("items.reason")).containsExactly("unhealthy:Timeout", "healthy");
        }
        // A hello without the field (a data plane older than it) keeps what is stored; an empty list clears it.
        try (WireClient dp = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            dp.send(hello(nodeId, "h", null));
            dp.next("snapshot");
            dp.send("{\"type\":\"heartbeat\"}");
            Thread.sleep(300);
            assertThat(reported(pool, "b1", nodeId)).isEqualTo("healthy");
        }
        try (WireClient dp = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            dp.send(hello(nodeId, "h", "[]"));
            dp.next("snapshot");
            await().atMost(Duration.ofSeconds(10)).until(() -> "unknown".equals(reported(pool, "b1", nodeId)));
        }
    }
}
