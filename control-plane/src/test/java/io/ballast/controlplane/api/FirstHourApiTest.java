package io.ballast.controlplane.api;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** What a newcomer trips over first, following the README: each answer must say what to do next. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class FirstHourApiTest {
    private static final String YAML = "application/yaml";

    static {
        RestAssured.config = RestAssured.config().encoderConfig(EncoderConfig.encoderConfig().encodeContentTypeAs(YAML, ContentType.TEXT));
    }

    @Test
    void aWrongMethodNamesTheAllowedOnes() {
        // What `curl --data-binary @ballast.yaml $API/config?dryRun=true` sends without -X PUT.
        ExtractableResponse<Response> answer = admin().contentType(YAML).body("pools: []\n").post("/api/v1/config?dryRun=true")
                .then().statusCode(405).contentType("application/problem+json").extract();
        assertThat(answer.<String>path("detail")).contains("POST is not allowed here").contains("PUT").contains("-X PUT");
        assertThat(answer.header("Allow")).contains("PUT").contains("GET");
    }

    @Test
    void theAdvertisedAddressesAnswer() {
        RestAssured.get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
        admin().get("/api/v1").then().statusCode(200).body("reference", equalTo("/q/swagger-ui"))
                .body("collections", hasItem("/api/v1/pools"));
        RestAssured.get("/api/v1").then().statusCode(401).body("detail", containsString("Authorization: Bearer"));
    }

    @Test
    void aWeightThatRoundRobinIgnoresIsWarnedAbout() {
        String rr = unique("rr");
        admin().body("{\"name\":\"" + rr + "\"}").post("/api/v1/pools").then().statusCode(201);
        admin().body("{\"host\":\"10.70.0.1\",\"port\":80,\"weight\":50}").post("/api/v1/pools/" + rr + "/backends").then().statusCode(201)
                .header(WeightWarning.HEADER, containsString("weighted-round-robin"));
        admin().body("{\"host\":\"10.70.0.2\",\"port\":80}").post("/api/v1/pools/" + rr + "/backends").then().statusCode(201)
                .header(WeightWarning.HEADER, nullValue());
        String wrr = unique("wrr");
        admin().body("{\"name\":\"" + wrr + "\",\"algorithm\":\"weighted-round-robin\"}").post("/api/v1/pools").then().statusCode(201);
        admin().body("{\"host\":\"10.70.0.1\",\"port\":80,\"weight\":50}").post("/api/v1/pools/" + wrr + "/backends").then().statusCode(201)
                .header(WeightWarning.HEADER, nullValue());
        admin().contentType("application/merge-patch+json").body("{\"weight\":300}").patch("/api/v1/pools/" + rr + "/backends/10.70.0.2:80")
                .then().statusCode(200).header(WeightWarning.HEADER, containsString("weight 300 has no effect"));
    }

    @Test
    void aDryRunThatListsChangesSaysItWouldChangeSomething() {
        String pool = unique("dr");
        String file = "pools:\n  - name: " + pool + "\n";
        admin().contentType(YAML).body(file).put("/api/v1/config?dryRun=true").then().statusCode(200)
                .body("dryRun", equalTo(true)).body("changed", equalTo(true)).body("changes.name", hasItem(pool));
    }

    @Test
    void aYamlSyntaxErrorNamesLineAndColumnOnce() {
        String broken = "pools:\n  - name: shop\n    backends: [ { host: 10.0.0.1, port: 80 }\nroutes: []\n";
        ExtractableResponse<Response> answer = admin().contentType(YAML).body(broken).post("/api/v1/config/validate")
                .then().statusCode(400).extract();
        String detail = answer.path("detail");
        assertThat(detail).startsWith("the body is not valid YAML at line ").containsPattern("line \\d+, column \\d+: \\S")
                .doesNotContain("JSON").doesNotContain("\n").doesNotContain("pools");
        assertThat(answer.<java.util.List<?>>path("errors")).isNullOrEmpty();

        // A value of the wrong type names its field once, with its position.
        admin().contentType(YAML).body("pools:\n  - name: shop\n    backends:\n      - { host: 10.0.0.1, port: eighty }\n")
                .post("/api/v1/config/validate").then().statusCode(400)
                .body("detail", containsString("line 4"))
                .body("detail", not(containsString("JSON")))
                .body("errors[0].field", equalTo("pools[0].backends[0].port"));
    }
}
