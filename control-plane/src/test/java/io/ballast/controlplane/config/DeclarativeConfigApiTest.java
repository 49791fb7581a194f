package io.ballast.controlplane.config;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.as;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.ballast.controlplane.security.Role;
import io.ballast.controlplane.security.TokenService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET/PUT /config, dry runs, prune, If-Match on the revision, and /config/validate. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class DeclarativeConfigApiTest {
    private static final String YAML = "application/yaml";

    static {
        // REST Assured sends a YAML body as the text it is.
        io.restassured.RestAssured.config = io.restassured.RestAssured.config().encoderConfig(
                io.restassured.config.EncoderConfig.encoderConfig().encodeContentTypeAs(YAML, io.restassured.http.ContentType.TEXT));
    }

    @Inject
    TokenService tokens;

    private static long latest() {
        return admin().get("/api/v1/revisions?limit=1").then().statusCode(200).extract().<Number>path("items[0].number").longValue();
    }

    private static String exportJson() {
        return admin().accept("application/json").get("/api/v1/config").then().statusCode(200).extract().asString();
    }

    private static String file(String pool, String route, int port) {
        return """
                pools:
                  - name: %s
                    algorithm: least-requests
                    healthCheck: { path: /healthz, interval: 2s }
                    backends:
                      - { host: 10.50.0.11, port: %d }
                      - { host: 10.50.0.12, port: 8080, weight: 50 }
                routes:
                  - { name: %s, hosts: ["%s.example.com"], pathPrefix: /, pool: %s }
                """.formatted(pool, port, route, route, pool);
    }

    private static ExtractableResponse<Response> put(String body, String query) {
        return admin().contentType(YAML).body(body).put("/api/v1/config" + query).then().extract();
    }

    @Test
    void exportThenApplyUnchangedRecordsNoRevisionInJsonAndYaml() {
        String pool = unique("decl");
        put(file(pool, unique("r"), 8080), "").statusCode();
        long before = latest();
        String json = exportJson();
        admin().get("/api/v1/config").then().header("ETag", "\"" + before + "\"").header("X-Ballast-Revision", String.valueOf(before));
        String yaml = admin().accept(YAML).get("/api/v1/config").then().statusCode(200).contentType(containsString("yaml"))
                .extract().asString();
        assertThat(yaml).contains("name: " + pool).contains("interval: 2s");

        admin().body(json).put("/api/v1/config?prune=true").then().statusCode(200)
                .body("changed", equalTo(false)).body("revision", equalTo((int) before))
                .body("summary", equalTo(Map.of("created", 0, "updated", 0, "deleted", 0)));
        admin().contentType(YAML).body(yaml).put("/api/v1/config?prune=true").then().statusCode(200).body("changed", equalTo(false));
        assertThat(latest()).isEqualTo(before);
        assertThat(exportJson()).isEqualTo(json);
    }

    @Test
    void applyAnswersTheDiffAndTheNewRevisionAndTwiceIsANoOp() {
        String pool = unique("apply");
        String route = unique("r");
        long before = latest();
        ExtractableResponse<Response> first = put(file(pool, route, 8080), "");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.<Integer>path("revision")).isEqualTo((int) before + 1);
        assertThat(first.<Boolean>path("changed")).isTrue();
        assertThat(first.<Map<String, Integer>>path("summary")).isEqualTo(Map.of("created", 4, "updated", 0, "deleted", 0));
        assertThat(first.header("X-Ballast-Revision")).isEqualTo(String.valueOf(before + 1));
        admin().get("/api/v1/revisions/" + (before + 1)).then().body("message", equalTo("apply configuration file"));
        admin().get("/api/v1/pools/" + pool).then().statusCode(200).body("backends.name", hasItems("10.50.0.11:8080", "10.50.0.12:8080"));

        ExtractableResponse<Response> second = put(file(pool, route, 8080), "");
        assertThat(second.<Boolean>path("changed")).isFalse();
        assertThat(latest()).isEqualTo(before + 1);

        ExtractableResponse<Response> changed = put(file(pool, route, 9090), "");
        assertThat(changed.<Map<String, Integer>>path("summary")).isEqualTo(Map.of("created", 1, "updated", 0, "deleted", 0));
        // Without prune the backend the file no longer names stays.
        admin().get("/api/v1/pools/" + pool).then().body("backends.name", hasItems("10.50.0.11:8080", "10.50.0.11:9090"));
    }

    @Test
    void reApplyingAFileLeavesThePoolsItDoesNotChangeUntouched() {
        String a = unique("keep");
        String b = unique("edit");
        String ra = unique("r");
        String rb = unique("r");
        assertThat(put(combined(a, ra, 8080, b, rb, 8080), "").statusCode()).isEqualTo(200);
        String etagA = admin().get("/api/v1/pools/" + a).then().statusCode(200).extract().header("ETag");
        String etagB = admin().get("/api/v1/pools/" + b).then().statusCode(200).extract().header("ETag");
        String routeEtag = admin().get("/api/v1/routes/" + ra).then().statusCode(200).extract().header("ETag");

        ExtractableResponse<Response> applied = put(combined(a, ra, 8080, b, rb, 9090), "");
        assertThat(applied.<Map<String, Integer>>path("summary")).isEqualTo(Map.of("created", 1, "updated", 0, "deleted", 0));
        admin().get("/api/v1/pools/" + a).then().header("ETag", etagA);
        admin().get("/api/v1/routes/" + ra).then().header("ETag", routeEtag);
        assertThat(admin().get("/api/v1/pools/" + b).then().extract().header("ETag")).isNotEqualTo(etagB);
    }

    private static String combined(String a, String ra, int portA, String b, String rb, int portB) {
        String first = file(a, ra, portA);
        String second = file(b, rb, portB);
        int firstRoutes = first.indexOf("routes:\n");
        int secondRoutes = second.indexOf("routes:\n");
        return first.substring(0, firstRoutes) + second.substring("pools:\n".length(), secondRoutes)
                + first.substring(firstRoutes) + second.substring(secondRoutes + "routes:\n".length());
    }

    @Test
    void aDryRunAnswersTheDiffAndChangesNothing() {
        String pool = unique("dry");
        long before = latest();
        String exported = exportJson();
        put(file(pool, unique("r"), 8080), "?dryRun=true").statusCode();
        ExtractableResponse<Response> dry = put(file(pool, unique("r"), 8080), "?dryRun=true");
        assertThat(dry.statusCode()).isEqualTo(200);
        assertThat(dry.<Boolean>path("dryRun")).isTrue();
        assertThat(dry.<Boolean>path("changed")).as("the plan lists changes, so applying it would change something").isTrue();
        assertThat(dry.<Integer>path("revision")).isEqualTo((int) before);
        assertThat(dry.<java.util.List<String>>path("changes.name")).contains(pool, pool + "/10.50.0.11:8080");
        assertThat(dry.header("X-Ballast-Revision")).isNull();
        assertThat(latest()).isEqualTo(before);
        assertThat(exportJson()).isEqualTo(exported);
        admin().get("/api/v1/pools/" + pool).then().statusCode(404);
    }

    @Test
    void pruneDeletesWhatTheFileDoesNotName() {
        String keep = unique("keep");
        String gone = unique("gone");
        String route = unique("r");
        put(file(keep, route, 8080), "").statusCode();
        admin().body("{\"name\":\"" + gone + "\"}").post("/api/v1/pools").then().statusCode(201);
        // The whole configuration, minus pool 'gone': export, edit, apply with prune.
        String exported = exportJson();
        io.restassured.path.json.JsonPath json = io.restassured.path.json.JsonPath.from(exported);
        assertThat(json.getList("pools.name")).contains(keep, gone);
        String without = withoutPool(exported, gone);
        ExtractableResponse<Response> dry = admin().body(without).put("/api/v1/config?prune=true&dryRun=true").then().extract();
        assertThat(dry.statusCode()).as(dry.asString()).isEqualTo(200);
        assertThat(dry.<java.util.List<String>>path("changes.name")).containsExactly(gone);
        assertThat(dry.<java.util.List<String>>path("changes.change")).containsExactly("deleted");
        admin().body(without).put("/api/v1/config?prune=true").then().statusCode(200).body("summary.deleted", equalTo(1));
        admin().get("/api/v1/pools/" + gone).then().statusCode(404);
        admin().get("/api/v1/pools/" + keep).then().statusCode(200);

        // Pruning to an empty file would delete everything; deleting pools is allowed by the rails,
        // so only the dry run is tried here (other tests share this database).
        admin().contentType(YAML).body("pools: []\nroutes: []\n").put("/api/v1/config?prune=true&dryRun=true").then().statusCode(200)
                .body("summary.deleted", org.hamcrest.Matchers.greaterThan(3));
    }

    @Test
    void aFileThatLeavesAPoolWithNoEnabledBackendIsRefusedUnlessForced() {
        String pool = unique("empty");
        put(file(pool, unique("r"), 8080), "").statusCode();
        long before = latest();
        String drained = "pools:\n  - name: " + pool + "\n    backends:\n"
                + "      - { host: 10.50.0.11, port: 8080, adminState: draining }\n"
                + "      - { host: 10.50.0.12, port: 8080, weight: 0 }\n";
        admin().contentType(YAML).body(drained).put("/api/v1/config?dryRun=true").then().statusCode(409)
                .body("errors.field", hasItem("pools." + pool));
        admin().contentType(YAML).body(drained).put("/api/v1/config").then().statusCode(409);
        assertThat(latest()).isEqualTo(before);
        admin().contentType(YAML).body(drained).put("/api/v1/config?force=true").then().statusCode(200).body("changed", equalTo(true));
    }

    private static String withoutPool(String exported, String pool) {
        try {
            com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(exported);
            com.fasterxml.jackson.databind.node.ArrayNode pools = (com.fasterxml.jackson.databind.node.ArrayNode) tree.get("pools");
            for (int i = pools.size() - 1; i >= 0; i--) {
                if (pools.get(i).get("name").asText().equals(pool)) {
                    pools.remove(i);
                }
            }
            return mapper.writeValueAsString(tree);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void ifMatchWithARevisionRefusesToApplyOverANewerOne() {
        long seen = latest();
        admin().body("{\"name\":\"" + unique("newer") + "\"}").post("/api/v1/pools").then().statusCode(201);
        String pool = unique("late");
        admin().contentType(YAML).header("If-Match", "\"" + seen + "\"").body(file(pool, unique("r"), 8080))
                .put("/api/v1/config").then().statusCode(412).contentType("application/problem+json");
        admin().contentType(YAML).header("If-Match", "\"" + seen + "\"").body(file(pool, unique("r"), 8080))
                .put("/api/v1/config?dryRun=true").then().statusCode(412);
        admin().get("/api/v1/pools/" + pool).then().statusCode(404);
        admin().contentType(YAML).header("If-Match", "\"" + latest() + "\"").body(file(pool, unique("r"), 8080))
                .put("/api/v1/config").then().statusCode(200).body("changed", equalTo(true));
    }

    @Test
    void badFilesArePointedAtThePathAndChangeNothing() {
        long before = latest();
        String bad = """
                pools:
                  - name: %s
                  - name: %s
                  - name: %s
                    backends:
                      - { host: 10.50.1.1, port: 70000 }
                      - { host: 169.254.169.254, port: 80 }
                routes:
                  - { name: r1, pool: no-such-pool }
                """.formatted(unique("a"), unique("b"), unique("c"));
        admin().contentType(YAML).body(bad).put("/api/v1/config").then().statusCode(422)
                .body("errors.field", hasItems("pools[2].backends[0].port", "pools[2].backends[1].host", "routes[0].pool"));
        admin().contentType(YAML).body(bad).post("/api/v1/config/validate").then().statusCode(422)
                .body("errors.field", hasItem("pools[2].backends[0].port"));
        admin().contentType(YAML).body("pools:\n  - name: x\n  - name: y\n    backends:\n      - { host: 10.0.0.1, port: eighty }\n")
                .put("/api/v1/config").then().statusCode(400).body("errors.field", hasItem("pools[1].backends[0].port"));
        admin().contentType(YAML).body("pools:\n  - name: x\n    colour: red\n").put("/api/v1/config").then().statusCode(400)
                .body("detail", containsString("colour"));
        admin().contentType(YAML).body("pools: [\n").put("/api/v1/config").then().statusCode(400);
        admin().contentType(YAML).body("pools: []\npools: []\n").put("/api/v1/config").then().statusCode(400);
        admin().body("{\"pools\":[{\"name\":\"x\",\"backends\":[{\"host\":\"10.0.0.1\",\"port\":\"x\"}]}]}").put("/api/v1/config")
                .then().statusCode(400).body("errors.field", hasItem("pools[0].backends[0].port"));
        admin().body("").put("/api/v1/config").then().statusCode(400);
        admin().body("{}").put("/api/v1/config?prune=maybe").then().statusCode(400);
        assertThat(latest()).isEqualTo(before);
    }

    @Test
    void validateChecksAgainstTheCurrentStateAndNeedsOnlyAViewer() {
        String viewer = tokens.issue(unique("viewer"), Role.VIEWER);
        long before = latest();
        String pool = unique("val");
        as(viewer).contentType(YAML).body(file(pool, unique("r"), 8080)).post("/api/v1/config/validate").then().statusCode(200)
                .body("valid", equalTo(true)).body("summary.created", equalTo(4));
        as(viewer).contentType(YAML).body(file(pool, unique("r"), 8080)).put("/api/v1/config").then().statusCode(403);
        assertThat(latest()).isEqualTo(before);
        admin().get("/api/v1/pools/" + pool).then().statusCode(404);
        // A route may name a pool that exists already but is not in the file (no prune) ...
        String existing = unique("exists");
        admin().body("{\"name\":\"" + existing + "\"}").post("/api/v1/pools").then().statusCode(201);
        as(viewer).contentType(YAML).body("routes:\n  - { name: " + unique("r") + ", hosts: [" + existing + ".test], pool: " + existing + " }\n")
                .post("/api/v1/config/validate").then().statusCode(200);
        // ... but with prune that pool would be gone.
        as(viewer).contentType(YAML).body("routes:\n  - { name: " + unique("r") + ", hosts: [" + existing + ".test], pool: " + existing + " }\n")
                .post("/api/v1/config/validate?prune=true").then().statusCode(422).body("errors.field", hasItem("routes[0].pool"))
                .body("errors.field", not(hasItem("pools")));
    }
}
