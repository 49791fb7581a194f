package io.ballast.controlplane.api;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input is always a 4xx problem that says what is wrong, and nothing is written. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class ValidationApiTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"name\":",
        "not json",
        "[1,2]",
        "{\"name\":\"x\",\"unknownField\":1}",
        "{\"name\":\"x\",\"panicThresholdPercent\":\"many\"}",
        "{\"name\":\"x\",\"algorithm\":\"fastest\"}",
        "{\"name\":\"x\",\"healthCheck\":{\"interval\":\"soon\"}}",
        "{\"name\":\"x\",\"backends\":[{\"host\":\"10.0.0.1\",\"port\":\"eighty\"}]}",
        "{\"name\":\"x\",\"backends\":{\"host\":\"10.0.0.1\"}}",
    })
    void malformedPoolBodiesAre400(String body) {
        admin().body(body).post("/api/v1/pools")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("title", equalTo("Malformed request body"));
        admin().get("/api/v1/pools/x").then().statusCode(404);
    }

    @Test
    void unknownFieldIsNamed() {
        admin().body("{\"name\":\"y\",\"colour\":\"red\"}").post("/api/v1/pools")
                .then().statusCode(400).body("detail", containsString("colour"));
    }

    @Test
    void wrongTypeNamesTheFieldPath() {
        admin().body("{\"name\":\"y\",\"backends\":[{\"host\":\"10.0.0.1\",\"port\":\"eighty\"}]}").post("/api/v1/pools")
                .then().statusCode(400).body("errors.field", hasItem("backends[0].port"));
    }

    @Test
    void emptyBodyIs400() {
        admin().post("/api/v1/pools").then().statusCode(400).contentType("application/problem+json");
        admin().body("").put("/api/v1/routes/whatever").then().statusCode(400);
    }

    @Test
    void invalidValuesAre422WithFieldPaths() {
        admin().body("""
                {"name":"Bad Name","panicThresholdPercent":150,"healthCheck":{"interval":"1ms"},
                 "backends":[{"host":"169.254.169.254","port":80},{"host":"10.0.0.1","port":70000,"weight":5000}]}""")
                .post("/api/v1/pools")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("status", equalTo(422))
                .body("errors.field", hasItems("name", "panicThresholdPercent", "healthCheck.interval",
                        "backends[0].host", "backends[1].port", "backends[1].weight"));
    }

    @Test
    void duplicateBackendsInOneBodyAre422() {
        admin().body("""
                {"name":"%s","backends":[{"host":"10.0.0.1","port":80},{"host":"10.0.0.1","port":80}]}""".formatted(unique("dup")))
                .post("/api/v1/pools")
                .then().statusCode(422).body("errors.field", hasItem("backends[1].name"));
    }

    @Test
    void duplicatePoolIs409() {
        String name = unique("twice");
        admin().body("{\"name\":\"" + name + "\"}").post("/api/v1/pools").then().statusCode(201);
        admin().body("{\"name\":\"" + name + "\"}").post("/api/v1/pools")
                .then().statusCode(409).contentType("application/problem+json").body("detail", containsString(name));
    }

    @Test
    void routeToAMissingPoolIs422OnPool() {
        admin().body("{\"name\":\"%s\",\"pool\":\"no-such-pool\"}".formatted(unique("r"))).post("/api/v1/routes")
                .then().statusCode(422).body("errors.field", hasItem("pool"));
        admin().body("{\"name\":\"%s\"}".formatted(unique("r"))).post("/api/v1/routes")
                .then().statusCode(422).body("errors.field", hasItem("pool"));
    }

    @Test
    void renamingThroughPutIs422() {
        String name = unique("keep");
        admin().body("{\"name\":\"" + name + "\"}").post("/api/v1/pools").then().statusCode(201);
        admin().body("{\"name\":\"other\"}").put("/api/v1/pools/" + name)
                .then().statusCode(422).body("errors.field", hasItem("name"));
    }

    @Test
    void unknownResourcesAre404Problems() {
        admin().get("/api/v1/pools/nope").then().statusCode(404).contentType("application/problem+json");
        admin().get("/api/v1/routes/nope").then().statusCode(404);
        admin().delete("/api/v1/routes/nope").then().statusCode(404);
        admin().body("{}").put("/api/v1/pools/nope").then().statusCode(404);
        admin().get("/api/v1/revisions/999999").then().statusCode(404);
        admin().get("/api/v1/revisions/abc").then().statusCode(400);
    }

    @Test
    void badQueryParametersAre400() {
        admin().get("/api/v1/pools?limit=abc").then().statusCode(400).body("errors.field", hasItem("limit"));
        admin().get("/api/v1/routes?limit=0").then().statusCode(400);
    }
}
