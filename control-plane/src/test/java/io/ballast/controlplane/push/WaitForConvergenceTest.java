package io.ballast.controlplane.push;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code ?wait=converged}: the answer waits for every connected data plane's ack, or is a 202 with the laggards. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class WaitForConvergenceTest {
    @TestHTTPResource("/api/v1/dataplanes/connect")
    URI http;

    private WireClient connect(String nodeId) throws Exception {
        WireClient dp = WireClient.open(URI.create(http.toString().replaceFirst("^http", "ws")), EmbeddedPostgresResource.DATAPLANE_TOKEN);
        dp.send("{\"type\":\"hello\",\"nodeId\":\"" + nodeId + "\",\"hostname\":\"h\",\"version\":\"t\"}");
        JsonNode snapshot = dp.next("snapshot");
        ack(dp, snapshot);
        return dp;
    }

    private static void ack(WireClient dp, JsonNode snapshot) throws Exception {
        dp.send("{\"type\":\"ack\",\"revision\":%d,\"hash\":\"%s\"}".formatted(snapshot.get("revision").asLong(), snapshot.get("hash").asText()));
    }

    @Test
    void aWriteWaitsUntilEveryConnectedDataPlaneHasAcked() throws Exception {
        try (WireClient a = connect(unique("node")); WireClient b = connect(unique("node"))) {
            // Each node acks the pushed snapshot after a moment, as a real proxy would after swapping tables.
            CompletableFuture<Void> acks = CompletableFuture.runAsync(() -> {
                try {
                    for (WireClient dp : new WireClient[] {a, b}) {
                        JsonNode pushed = dp.next("snapshot");
                        Thread.sleep(300);
                        ack(dp, pushed);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long started = System.nanoTime();
            ExtractableResponse<Response> answer = admin().body("{\"name\":\"" + unique("conv") + "\"}")
                    .post("/api/v1/pools?wait=converged&timeout=10s").then().extract();
            assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(201);
            assertThat(answer.header("X-Ballast-Converged")).isEqualTo("true");
            assertThat(System.nanoTime() - started).isGreaterThan(500_000_000L);
            acks.get();
        }
    }

    @Test
    void laggardsAreListedInA202AfterTheTimeout() throws Exception {
        String slow = unique("slow");
        try (WireClient quiet = connect(slow)) {
            String pool = unique("lag");
            ExtractableResponse<Response> answer = admin().body("{\"name\":\"" + pool + "\"}")
                    .post("/api/v1/pools?wait=converged&timeout=700ms").then().extract();
            assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(202);
            assertThat(answer.header("X-Ballast-Converged")).isEqualTo("false");
            assertThat(answer.<java.util.List<String>>path("pending.nodeId")).contains(slow);
            assertThat(answer.<String>path("result.name")).isEqualTo(pool);
            assertThat(answer.<Integer>path("revision")).isEqualTo(Integer.valueOf(answer.header("X-Ballast-Revision")));
            // The write itself is done.
            admin().get("/api/v1/pools/" + pool).then().statusCode(200);

            // A nack is final: the answer comes without waiting for the whole timeout.
            quiet.next("snapshot");
            long started = System.nanoTime();
            CompletableFuture<ExtractableResponse<Response>> write = CompletableFuture.supplyAsync(() ->
                    admin().body("{\"host\":\"10.60.0.1\",\"port\":80}")
                            .post("/api/v1/pools/" + pool + "/backends?wait=converged&timeout=1m").then().extract());
            JsonNode next = quiet.next("snapshot");
            quiet.send("{\"type\":\"nack\",\"revision\":%d,\"hash\":\"%s\",\"errors\":[{\"field\":\"x\",\"message\":\"no\"}]}"
                    .formatted(next.get("revision").asLong(), next.get("hash").asText()));
            ExtractableResponse<Response> refused = write.get();
            assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(202);
            assertThat(refused.<Boolean>path("pending.find { it.nodeId == '" + slow + "' }.refused")).isTrue();
            assertThat(System.nanoTime() - started).isLessThan(30_000_000_000L);
        }
    }

    @Test
    void withoutConnectedDataPlanesAWriteIsConvergedAtOnceAndBadWaitParametersAre400() {
        admin().body("{\"name\":\"" + unique("none") + "\"}").post("/api/v1/pools?wait=converged").then().statusCode(201);
        String pool = unique("bad");
        admin().body("{\"name\":\"" + pool + "\"}").post("/api/v1/pools?wait=soon").then().statusCode(400).body("errors.field", hasItem("wait"));
        admin().body("{\"name\":\"" + pool + "\"}").post("/api/v1/pools?wait=converged&timeout=forever").then().statusCode(400);
        admin().body("{\"name\":\"" + pool + "\"}").post("/api/v1/pools?wait=converged&timeout=1h").then().statusCode(400);
        admin().body("{\"name\":\"" + pool + "\"}").post("/api/v1/pools?timeout=1s").then().statusCode(400);
        admin().get("/api/v1/pools/" + pool).then().statusCode(404).body("status", equalTo(404));
    }
}
