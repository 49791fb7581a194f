package io.ballast.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Assertions and lookups the end-to-end scenarios share. */
final class E2e {
    static final ObjectMapper JSON = new ObjectMapper();

    private E2e() {
    }

    static void created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    static long latestRevision(Http api) throws Exception {
        return json(api.get("/revisions?limit=1")).path("items").get(0).path("number").asLong();
    }

    static JsonNode status(DataPlane dp) throws Exception {
        return json(dp.admin().get("/status"));
    }

    /** Waits until {@code dp} runs {@code revision} (its own /status says so). */
    static void awaitApplied(DataPlane dp, long revision) {
        await(dp.nodeId() + " applies revision " + revision).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(status(dp).path("appliedRevision").asLong()).as(dp.output()).isEqualTo(revision));
    }

    /** Waits until the proxy of {@code dp} answers {@code path} with {@code body}. */
    static void awaitServing(DataPlane dp, String body) {
        await(dp.nodeId() + " serves " + body).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    HttpResponse<String> response = dp.proxy().tryGet("/warm-up");
                    return response != null && response.statusCode() == 200 && body.equals(response.body());
                });
    }

    /** A pool "web" with one backend answering {@code port}, no health check delay, routed for every host. */
    static void webPool(Http api, int port) {
        created(api.post("/pools", """
                {"name": "web", "healthCheck": {"path": "/healthz", "interval": "500ms", "transitionInterval": "200ms",
                 "timeout": "300ms", "healthyThreshold": 1, "unhealthyThreshold": 2}}"""));
        created(api.post("/pools/web/backends", "{\"name\": \"a\", \"host\": \"127.0.0.1\", \"port\": " + port + "}"));
        created(api.post("/routes", "{\"name\": \"site\", \"pool\": \"web\"}"));
    }
}
