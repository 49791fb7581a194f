package io.ballast.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static io.ballast.e2e.E2e.created;
import static io.ballast.e2e.E2e.json;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton, end to end: a real control plane on embedded PostgreSQL, a real data-plane
 * process and real backends, driven only through the REST API and the proxy port.
 */
class FoundationEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Closer closer = new Closer();

    @AfterEach
    void stopEverything() throws Exception {
        closer.close();
    }

    @Test
    void trafficReachesOnlyHealthyBackendsAndConfigSurvivesARestart() throws Exception {
        File dataDir = ManagedProcess.tempDir("ballast-e2e-cp");
        ControlPlane cp = closer.later(ControlPlane.start("e2e-control-plane", dataDir));
        TestBackend a = closer.later(TestBackend.start("A"));
        TestBackend b = closer.later(TestBackend.start("B"));
        Http api = cp.admin();

        created(api.post("/pools", """
                {"name": "web", "healthCheck": {"path": "/healthz", "interval": "500ms", "transitionInterval": "200ms",
                 "timeout": "300ms", "healthyThreshold": 1, "unhealthyThreshold": 2}}"""));
        created(api.post("/pools/web/backends", "{\"name\": \"a\", \"host\": \"127.0.0.1\", \"port\": " + a.port() + "}"));
        created(api.post("/pools/web/backends", "{\"name\": \"b\", \"host\": \"127.0.0.1\", \"port\": " + b.port() + "}"));
        created(api.post("/routes", "{\"name\": \"site\", \"pool\": \"web\"}"));

        DataPlane dp = closer.later(DataPlane.start("e2e-dp-1", cp.url(), ManagedProcess.tempDir("ballast-e2e-dp")));
        Http proxy = dp.proxy();
        awaitHealth(dp, "a", "healthy");
        awaitHealth(dp, "b", "healthy");

        // Round robin: consecutive requests alternate between the two healthy backends.
        List<String> served = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = proxy.get("/hello");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            served.add(response.body());
        }
        assertThat(served).containsOnly("A", "B");
        for (int i = 1; i < served.size(); i++) {
            assertThat(served.get(i)).as("request %d of %s", i, served).isNotEqualTo(served.get(i - 1));
        }

        // The control plane knows the data plane and the revision it applied.
        await("data plane listed with its applied revision").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode nodes = json(api.get("/dataplanes"));
            JsonNode node = find(nodes, "nodeId", dp.nodeId());
            assertThat(node).as(nodes.toString()).isNotNull();
            assertThat(node.path("appliedRevision").asLong()).isEqualTo(latestRevision(api));
        });

        // Kill B: once the unhealthy threshold has passed, every request succeeds on A.
        b.stop();
        awaitHealth(dp, "b", "unhealthy");
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> response = proxy.get("/after-kill");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("A");
        }

        // A third backend joins, then is deleted through the API: the proxy stops using it within a second.
        TestBackend c = closer.later(TestBackend.start("C"));
        created(api.post("/pools/web/backends", "{\"name\": \"c\", \"host\": \"127.0.0.1\", \"port\": " + c.port() + "}"));
        await("new backend takes traffic").atMost(Duration.ofSeconds(10)).until(() -> "C".equals(proxy.get("/join").body()));
        HttpResponse<String> deleted = api.delete("/pools/web/backends/c");
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        long deletedAt = System.nanoTime();
        long lastServedByC = deletedAt;
        while (System.nanoTime() - deletedAt < Duration.ofSeconds(2).toNanos()) {
            HttpResponse<String> response = proxy.get("/after-delete");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            if (response.body().equals("C")) {
                lastServedByC = System.nanoTime();
            }
        }
        assertThat(Duration.ofNanos(lastServedByC - deletedAt)).isLessThan(Duration.ofSeconds(1));
        int servedByC = c.served();
        for (int i = 0; i < 10; i++) {
            assertThat(proxy.get("/still-gone").body()).isEqualTo("A");
        }
        assertThat(c.served()).isEqualTo(servedByC);

        // Restart the control plane on the same data directory: the pool and its backends are still there.
        cp.stop();
        assertThat(proxy.get("/while-cp-down").statusCode()).isEqualTo(200);
        cp.start();
        JsonNode pool = json(api.get("/pools/web"));
        assertThat(pool.path("name").asText()).isEqualTo("web");
        Set<String> backendNames = new HashSet<>();
        pool.path("backends").forEach(backend -> backendNames.add(backend.path("name").asText()));
        assertThat(backendNames).containsExactlyInAnyOrder("a", "b");
        assertThat(json(api.get("/routes/site")).path("pool").asText()).isEqualTo("web");
    }

    @Test
    void unmatchedHostsGet404AndAPoolWithoutHealthyBackendsGets503() throws Exception {
        ControlPlane cp = closer.later(ControlPlane.start("e2e-control-plane-2", ManagedProcess.tempDir("ballast-e2e-cp2")));
        Http api = cp.admin();
        created(api.post("/pools", "{\"name\": \"empty\"}"));
        created(api.post("/routes", "{\"name\": \"shop\", \"hosts\": [\"shop.example.com\"], \"pool\": \"empty\"}"));
        DataPlane dp = closer.later(DataPlane.start("e2e-dp-2", cp.url(), ManagedProcess.tempDir("ballast-e2e-dp2")));

        HttpResponse<String> unrouted = dp.proxy().get("/");
        assertThat(unrouted.statusCode()).isEqualTo(404);
        assertThat(unrouted.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));

        HttpResponse<String> noBackend = dp.proxy().getWithHost("/", "shop.example.com");
        assertThat(noBackend.statusCode()).as(noBackend.body()).isEqualTo(503);
        assertThat(JSON.readTree(noBackend.body()).path("status").asInt()).isEqualTo(503);
    }



    private static long latestRevision(Http api) throws Exception {
        JsonNode revisions = json(api.get("/revisions"));
        JsonNode items = revisions.isArray() ? revisions : revisions.path("items");
        long max = 0;
        for (JsonNode revision : items) {
            max = Math.max(max, revision.path("number").asLong());
        }
        return max;
    }

    private static JsonNode find(JsonNode listOrPage, String field, String value) {
        JsonNode items = listOrPage.isArray() ? listOrPage : listOrPage.path("items");
        for (JsonNode item : items) {
            if (item.path(field).asText().equals(value)) {
                return item;
            }
        }
        return null;
    }

    private static void awaitHealth(DataPlane dp, String backend, String health) {
        await("backend " + backend + " " + health + " on " + dp.nodeId()).atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                    JsonNode status = json(dp.admin().get("/status"));
                    JsonNode found = null;
                    for (JsonNode pool : status.path("pools")) {
                        JsonNode b = find(pool.path("backends"), "name", backend);
                        if (b != null) {
                            found = b;
                        }
                    }
                    assertThat(found).as(status.toString()).isNotNull();
                    assertThat(found.path("health").asText()).as(status.toString()).isEqualTo(health);
                });
    }
}
