package io.ballast.controlplane.api;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** ETags, If-Match (412 on a stale version), and JSON merge patch. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class ETagAndPatchTest {
    private static final String MERGE_PATCH = "application/merge-patch+json";

    private static String createPool() {
        String pool = unique("etag");
        admin().body("{\"name\":\"" + pool + "\",\"backends\":[{\"name\":\"a\",\"host\":\"10.20.0.1\",\"port\":80},"
                + "{\"name\":\"b\",\"host\":\"10.20.0.2\",\"port\":80}]}").post("/api/v1/pools").then().statusCode(201)
                .header("ETag", matchesPattern("\"\\d+\""));
        return pool;
    }

    private static String etag(String path) {
        return admin().get(path).then().statusCode(200).extract().header("ETag");
    }

    @Test
    void everyWriteChangesTheETagAndAStaleIfMatchIs412() {
        String pool = createPool();
        String path = "/api/v1/pools/" + pool;
        String v1 = etag(path);
        String v2 = admin().header("If-Match", v1).body("{\"algorithm\":\"least-requests\"}").put(path)
                .then().statusCode(200).extract().header("ETag");
        assertThat(v2).isNotEqualTo(v1);
        assertThat(etag(path)).isEqualTo(v2);

        admin().header("If-Match", v1).body("{\"algorithm\":\"random\"}").put(path)
                .then().statusCode(412).contentType("application/problem+json").body("status", equalTo(412));
        admin().header("If-Match", v1).contentType(MERGE_PATCH).body("{\"panicThresholdPercent\":10}").patch(path).then().statusCode(412);
        admin().header("If-Match", v1).delete(path).then().statusCode(412);
        admin().get(path).then().body("algorithm", equalTo("least-requests")).body("panicThresholdPercent", equalTo(50));
        // Weak tags never match (If-Match uses strong comparison); * matches any version.
        admin().header("If-Match", "W/" + v2).body("{}").put(path).then().statusCode(412);
        admin().header("If-Match", "*").contentType(MERGE_PATCH).body("{\"panicThresholdPercent\":10}").patch(path).then().statusCode(200);
    }

    @Test
    void aBackendChangeGivesItsPoolANewETag() {
        String pool = createPool();
        String poolPath = "/api/v1/pools/" + pool;
        String poolTag = etag(poolPath);
        String backendTag = etag(poolPath + "/backends/a");
        admin().header("If-Match", backendTag).post(poolPath + "/backends/a/drain").then().statusCode(200);
        assertThat(etag(poolPath)).isNotEqualTo(poolTag);
        admin().header("If-Match", backendTag).post(poolPath + "/backends/a/enable").then().statusCode(412);
        // A write that changes nothing keeps the ETag.
        String now = etag(poolPath);
        admin().post(poolPath + "/backends/a/drain").then().statusCode(200);
        assertThat(etag(poolPath)).isEqualTo(now);
    }

    @Test
    void mergePatchChangesOnlyWhatItNamesAndNullRestoresTheDefault() {
        String pool = createPool();
        String path = "/api/v1/pools/" + pool;
        admin().contentType(MERGE_PATCH).body("{\"healthCheck\":{\"path\":\"/healthz\",\"interval\":\"500ms\"},\"labels\":{\"team\":\"web\"}}")
                .patch(path).then().statusCode(200)
                .body("healthCheck.path", equalTo("/healthz"))
                .body("healthCheck.interval", equalTo("500ms"))
                .body("healthCheck.timeout", equalTo("2s"))
                .body("labels.team", equalTo("web"))
                .body("backends.name", hasItem("b"));
        admin().contentType(MERGE_PATCH).body("{\"healthCheck\":{\"interval\":null},\"labels\":{\"team\":null}}")
                .patch(path).then().statusCode(200)
                .body("healthCheck.path", equalTo("/healthz"))
                .body("healthCheck.interval", equalTo("5s"))
                .body("labels.size()", equalTo(0));
        admin().contentType(MERGE_PATCH).body("{\"weight\":7,\"labels\":{\"zone\":\"a\"}}")
                .patch(path + "/backends/b").then().statusCode(200).body("weight", equalTo(7)).body("host", equalTo("10.20.0.2"));
        admin().contentType(MERGE_PATCH).body("{\"pathPrefix\":\"/x\"}").patch("/api/v1/routes/nope").then().statusCode(404);
    }

    @Test
    void badPatchesAreProblemsAndChangeNothing() {
        String pool = createPool();
        String path = "/api/v1/pools/" + pool;
        String tag = etag(path);
        admin().contentType(MERGE_PATCH).body("{\"colour\":\"red\"}").patch(path).then().statusCode(400);
        admin().contentType(MERGE_PATCH).body("{\"healthCheck\":{\"interval\":\"soon\"}}").patch(path)
                .then().statusCode(400).body("errors.field", hasItem("healthCheck.interval"));
        admin().contentType(MERGE_PATCH).body("[1]").patch(path).then().statusCode(400);
        admin().contentType(MERGE_PATCH).body("{\"name\":\"other\"}").patch(path).then().statusCode(422).body("errors.field", hasItem("name"));
        admin().contentType(MERGE_PATCH).body("{\"panicThresholdPercent\":101}").patch(path).then().statusCode(422);
        admin().contentType(MERGE_PATCH).body("{\"backends\":[{\"host\":\"169.254.169.254\",\"port\":80}]}").patch(path)
                .then().statusCode(422).body("errors.field", hasItem("backends[0].host"));
        assertThat(etag(path)).isEqualTo(tag);
    }

    @Test
    void twoClientsRacingOnOnePoolWithIfMatchExactlyOneWinsAndNothingIsLost() throws Exception {
        String pool = createPool();
        String path = "/api/v1/pools/" + pool;
        String tag = etag(path);
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (String patch : List.of("{\"labels\":{\"alice\":\"yes\"}}", "{\"labels\":{\"bob\":\"yes\"}}")) {
                answers.add(threads.submit(() -> {
                    start.await();
                    return admin().header("If-Match", tag).contentType(MERGE_PATCH).body(patch).patch(path);
                }));
            }
            List<Integer> statuses = new ArrayList<>();
            String loserPatch = null;
            for (int i = 0; i < 2; i++) {
                int status = answers.get(i).get().statusCode();
                statuses.add(status);
                if (status == 412) {
                    loserPatch = i == 0 ? "{\"labels\":{\"alice\":\"yes\"}}" : "{\"labels\":{\"bob\":\"yes\"}}";
                }
            }
            assertThat(statuses).containsExactlyInAnyOrder(200, 412);
            // The loser reads again and retries on the new version: both changes survive.
            String fresh = etag(path);
            admin().header("If-Match", fresh).contentType(MERGE_PATCH).body(loserPatch).patch(path).then().statusCode(200);
            admin().get(path).then().body("labels.alice", equalTo("yes")).body("labels.bob", equalTo("yes"));
        } finally {
            threads.shutdownNow();
        }
    }
}
