package io.ballast.controlplane.revision;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.containsInAnyOrder;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Revision messages and summaries, structured diffs, and rollback through the normal write path. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class RevisionHistoryTest {

    private static long latest() {
        return admin().get("/api/v1/revisions?limit=1").then().statusCode(200).extract().<Number>path("items[0].number").longValue();
    }

    private static String hashOf(long revision) {
        return admin().get("/api/v1/revisions/" + revision).then().statusCode(200).extract().path("hash");
    }

    @Test
    void revisionsCarryTheMessageHeaderAndSummaryCounts() {
        String pool = unique("hist");
        String revisionHeader = admin().header("X-Ballast-Change-Message", "JIRA-42: new shop pool")
                .body("{\"name\":\"" + pool + "\",\"backends\":[{\"host\":\"10.40.0.1\",\"port\":80},{\"host\":\"10.40.0.2\",\"port\":80}]}")
                .post("/api/v1/pools").then().statusCode(201).extract().header("X-Ballast-Revision");
        assertThat(revisionHeader).isEqualTo(String.valueOf(latest()));
        admin().get("/api/v1/revisions?limit=1").then()
                .body("items[0].message", equalTo("JIRA-42: new shop pool"))
                .body("items[0].author", equalTo("admin"))
                .body("items[0].summary", equalTo(Map.of("created", 3, "updated", 0, "deleted", 0)));
        admin().header("X-Ballast-Change-Message", "x".repeat(1001)).body("{\"name\":\"" + unique("m") + "\"}")
                .post("/api/v1/pools").then().statusCode(400).body("errors.field", hasItem("X-Ballast-Change-Message"));
    }

    @Test
    void theDiffIsPerResourceWithFieldLevelBeforeAndAfter() {
        String pool = unique("diff");
        admin().body("{\"name\":\"" + pool + "\",\"backends\":[{\"name\":\"a\",\"host\":\"10.41.0.1\",\"port\":80},"
                + "{\"name\":\"b\",\"host\":\"10.41.0.2\",\"port\":80}]}").post("/api/v1/pools").then().statusCode(201);
        long created = latest();
        admin().contentType("application/merge-patch+json").body("{\"algorithm\":\"least-requests\"}").patch("/api/v1/pools/" + pool)
                .then().statusCode(200);
        admin().post("/api/v1/pools/" + pool + "/backends/b/drain").then().statusCode(200);
        long now = latest();

        JsonPath diff = admin().get("/api/v1/revisions/" + now + "/diff?against=" + created).then().statusCode(200)
                .body("from", equalTo((int) created)).body("to", equalTo((int) now))
                .body("summary", equalTo(Map.of("created", 0, "updated", 2, "deleted", 0)))
                .extract().jsonPath();
        assertThat(diff.getList("changes.name")).containsExactly(pool, pool + "/b");
        assertThat(diff.getMap("changes[0]")).containsEntry("type", "pool").containsEntry("change", "updated");
        assertThat(diff.getList("changes[0].fields")).containsExactly(Map.of("field", "algorithm", "before", "round-robin", "after", "least-requests"));
        assertThat(diff.getList("changes[1].fields")).containsExactly(Map.of("field", "adminState", "before", "enabled", "after", "draining"));

        // Without 'against': the revision before. The reverse direction swaps created and deleted.
        admin().get("/api/v1/revisions/" + now + "/diff").then().statusCode(200).body("from", equalTo((int) now - 1))
                .body("changes[0].name", equalTo(pool + "/b"));
        admin().get("/api/v1/revisions/" + (created - 1) + "/diff?against=" + created).then().statusCode(200)
                .body("summary.deleted", equalTo(3));
        admin().get("/api/v1/revisions/" + now + "/diff?against=999999").then().statusCode(404);
        admin().get("/api/v1/revisions/999999/diff").then().statusCode(404);
        admin().get("/api/v1/revisions/" + now + "/diff?against=x").then().statusCode(400);
    }

    @Test
    void rollbackMakesANewRevisionEqualToTheOldOne() {
        String pool = unique("roll");
        admin().body("{\"name\":\"" + pool + "\",\"backends\":[{\"name\":\"a\",\"host\":\"10.42.0.1\",\"port\":80}]}")
                .post("/api/v1/pools").then().statusCode(201);
        long good = latest();
        admin().body("{\"name\":\"" + unique("extra") + "\"}").post("/api/v1/pools").then().statusCode(201);
        admin().contentType("application/merge-patch+json").body("{\"timeouts\":{\"request\":\"1s\"}}").patch("/api/v1/pools/" + pool)
                .then().statusCode(200);
        long bad = latest();

        // A dry run answers the diff and writes nothing; "changed" says that applying it would change something.
        admin().post("/api/v1/revisions/" + good + "/rollback?dryRun=true").then().statusCode(200)
                .body("dryRun", equalTo(true)).body("changed", equalTo(true))
                .body("summary", equalTo(Map.of("created", 0, "updated", 1, "deleted", 1)));
        assertThat(latest()).isEqualTo(bad);

        admin().header("X-Ballast-Change-Message", "undo the timeout change").post("/api/v1/revisions/" + good + "/rollback")
                .then().statusCode(200)
                .header("X-Ballast-Revision", String.valueOf(bad + 1))
                .body("revision", equalTo((int) bad + 1)).body("changed", equalTo(true))
                .body("changes.change", containsInAnyOrder("updated", "deleted"));
        assertThat(hashOf(bad + 1)).isEqualTo(hashOf(good));
        admin().get("/api/v1/revisions/" + (bad + 1)).then().body("message", equalTo("undo the timeout change"));
        admin().get("/api/v1/pools/" + pool).then().body("timeouts.request", equalTo("30s"));

        // Rolling back to what is already current records nothing.
        admin().post("/api/v1/revisions/" + good + "/rollback").then().statusCode(200).body("changed", equalTo(false));
        assertThat(latest()).isEqualTo(bad + 1);
        admin().post("/api/v1/revisions/999999/rollback").then().statusCode(404);
        admin().post("/api/v1/revisions/0/rollback").then().statusCode(400);
        admin().post("/api/v1/revisions/" + good + "/rollback?dryRun=maybe").then().statusCode(400);
    }

    @Test
    void rollbackPassesTheSafetyRailsAndIfMatch() {
        String pool = unique("rail");
        admin().body("{\"name\":\"" + pool + "\",\"backends\":[{\"name\":\"a\",\"host\":\"10.43.0.1\",\"port\":80,\"adminState\":\"disabled\"}]}")
                .post("/api/v1/pools").then().statusCode(201);
        long allDisabled = latest();
        admin().post("/api/v1/pools/" + pool + "/backends/a/enable").then().statusCode(200);
        long current = latest();
        admin().post("/api/v1/revisions/" + allDisabled + "/rollback").then().statusCode(409)
                .body("type", equalTo("https://ballast.io/problems/unsafe-change"));
        admin().header("If-Match", "\"" + (current - 1) + "\"").post("/api/v1/revisions/" + allDisabled + "/rollback?force=true")
                .then().statusCode(412);
        assertThat(latest()).isEqualTo(current);
        admin().header("If-Match", "\"" + current + "\"").post("/api/v1/revisions/" + allDisabled + "/rollback?force=true")
                .then().statusCode(200).body("changed", equalTo(true));
    }
}
