package io.ballast.controlplane.revision;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import io.ballast.controlplane.EmbeddedPostgresResource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class RevisionApiTest {

    private static long latest() {
        return admin().get("/api/v1/revisions?limit=1").then().statusCode(200).extract().<Number>path("items[0].number").longValue();
    }

    @Test
    void everyWriteRecordsARevisionWithAuthorHashAndSnapshot() throws Exception {
        long before = latest();
        String pool = unique("rev");
        admin().body("{\"name\":\"" + pool + "\",\"backends\":[{\"host\":\"10.9.0.1\",\"port\":80}]}").post("/api/v1/pools")
                .then().statusCode(201);
        assertThat(latest()).isEqualTo(before + 1);

        admin().get("/api/v1/revisions?limit=1").then()
                .body("items[0].author", equalTo("admin"))
                .body("items[0].hash", matchesPattern("[0-9a-f]{64}"))
                .body("items[0].message", equalTo("create pool " + pool))
                .body("items[0].createdAt", matchesPattern("\\d{4}-\\d\\d-\\d\\dT.*"));

        String body = admin().get("/api/v1/revisions/" + (before + 1)).then().statusCode(200)
                .body("number", equalTo((int) (before + 1)))
                .body("snapshot.pools.name", hasItem(pool))
                .extract().asString();
        // The stored hash is the SHA-256 of the canonical form of the snapshot the revision carries.
        JsonNode tree = new ObjectMapper().readTree(body);
        ConfigSnapshot snapshot = ConfigSnapshot.fromJson(tree.get("snapshot").toString());
        assertThat(snapshot.hash()).isEqualTo(tree.get("hash").asText());

        // Forced: draining the only backend is otherwise refused by the safety rail.
        admin().post("/api/v1/pools/" + pool + "/backends/10.9.0.1:80/drain?force=true").then().statusCode(200);
        assertThat(latest()).isEqualTo(before + 2);
        admin().delete("/api/v1/pools/" + pool).then().statusCode(204);
        assertThat(latest()).isEqualTo(before + 3);
        admin().get("/api/v1/revisions/" + (before + 3)).then().body("snapshot.pools.name", not(hasItem(pool)));
    }

    @Test
    void noOpWritesRecordNoRevision() {
        String pool = unique("same");
        admin().body("{\"name\":\"" + pool + "\",\"backends\":[{\"host\":\"10.9.1.1\",\"port\":80}]}").post("/api/v1/pools")
                .then().statusCode(201);
        long before = latest();

        admin().post("/api/v1/pools/" + pool + "/backends/10.9.1.1:80/enable").then().statusCode(200);
        admin().body("{\"name\":\"" + pool + "\"}").put("/api/v1/pools/" + pool).then().statusCode(200);
        admin().body("{\"host\":\"10.9.1.1\",\"port\":80}").put("/api/v1/pools/" + pool + "/backends/10.9.1.1:80").then().statusCode(200);
        assertThat(latest()).isEqualTo(before);

        // A rejected write records nothing either.
        admin().body("{\"name\":\"" + pool + "\"}").post("/api/v1/pools").then().statusCode(409);
        admin().body("{\"panicThresholdPercent\":500}").put("/api/v1/pools/" + pool).then().statusCode(422);
        assertThat(latest()).isEqualTo(before);
    }

    @Test
    void revisionsArePagedNewestFirst() {
        admin().body("{\"name\":\"" + unique("p") + "\"}").post("/api/v1/pools").then().statusCode(201);
        admin().body("{\"name\":\"" + unique("p") + "\"}").post("/api/v1/pools").then().statusCode(201);
        JsonPath page = admin().get("/api/v1/revisions?limit=2").then().statusCode(200).extract().jsonPath();
        List<Integer> numbers = page.getList("items.number");
        assertThat(numbers).hasSize(2);
        assertThat(numbers.get(0)).isGreaterThan(numbers.get(1));
        String next = page.getString("next");
        assertThat(next).isEqualTo(String.valueOf(numbers.get(1)));
        List<Integer> older = admin().get("/api/v1/revisions?limit=2&before=" + next).then().statusCode(200)
                .extract().jsonPath().getList("items.number");
        assertThat(older.get(0)).isEqualTo(numbers.get(1) - 1);
        admin().get("/api/v1/revisions/1").then().statusCode(200).body("author", equalTo("system"))
                .body("snapshot", equalTo(Map.of("pools", List.of(), "routes", List.of())));
    }
}
