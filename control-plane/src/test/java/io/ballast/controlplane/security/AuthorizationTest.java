package io.ballast.controlplane.security;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.as;
import static io.ballast.controlplane.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class AuthorizationTest {
    @Inject
    TokenService tokens;

    String viewer;
    String operator;
    String pool;

    @BeforeEach
    void setUp() {
        viewer = tokens.issue(unique("viewer"), Role.VIEWER);
        operator = tokens.issue(unique("operator"), Role.OPERATOR);
        pool = unique("auth");
        admin().body("{\"name\":\"" + pool + "\",\"backends\":[{\"name\":\"b\",\"host\":\"10.7.0.1\",\"port\":80},{\"name\":\"c\",\"host\":\"10.7.0.3\",\"port\":80}]}")
                .post("/api/v1/pools").then().statusCode(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/pools", "/api/v1/routes", "/api/v1/revisions", "/api/v1/dataplanes", "/api/v1/revisions/1"})
    void readsNeedAToken(String path) {
        RestAssured.get(path).then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"));
        as("blst_not-a-real-token").get(path).then().statusCode(401).contentType("application/problem+json");
        RestAssured.given().header("Authorization", "Basic YWRtaW46YWRtaW4=").get(path).then().statusCode(401);
        as(EmbeddedPostgresResource.DATAPLANE_TOKEN).get(path).then().statusCode(403).contentType("application/problem+json");
        as(viewer).get(path).then().statusCode(200);
        admin().get(path).then().statusCode(200);
    }

    @Test
    void writesWithoutATokenAre401AndChangeNothing() {
        RestAssured.given().contentType("application/json").body("{\"name\":\"" + unique("x") + "\"}")
                .post("/api/v1/pools").then().statusCode(401);
        RestAssured.delete("/api/v1/pools/" + pool).then().statusCode(401);
        admin().get("/api/v1/pools/" + pool).then().statusCode(200);
    }

    @Test
    void viewersOnlyRead() {
        as(viewer).body("{\"name\":\"" + unique("v") + "\"}").post("/api/v1/pools").then().statusCode(403);
        as(viewer).post("/api/v1/pools/" + pool + "/backends/b/drain").then().statusCode(403);
        as(viewer).delete("/api/v1/pools/" + pool).then().statusCode(403);
    }

    @Test
    void operatorsDrainEnableDisableButDoNotEditConfig() {
        as(operator).post("/api/v1/pools/" + pool + "/backends/b/drain").then().statusCode(200).body("adminState", equalTo("draining"));
        as(operator).post("/api/v1/pools/" + pool + "/backends/b/disable").then().statusCode(200);
        as(operator).post("/api/v1/pools/" + pool + "/backends/b/enable").then().statusCode(200);
        as(operator).body("{\"host\":\"10.7.0.2\",\"port\":80}").post("/api/v1/pools/" + pool + "/backends").then().statusCode(403);
        as(operator).body("{}").put("/api/v1/pools/" + pool).then().statusCode(403);
        as(operator).delete("/api/v1/pools/" + pool + "/backends/b").then().statusCode(403);
        admin().get("/api/v1/revisions?limit=1").then().body("items[0].author", containsString("operator"));
    }

    @Test
    void dataPlaneTokensCannotWrite() {
        as(EmbeddedPostgresResource.DATAPLANE_TOKEN).post("/api/v1/pools/" + pool + "/backends/b/drain").then().statusCode(403);
        as(EmbeddedPostgresResource.DATAPLANE_TOKEN).delete("/api/v1/pools/" + pool).then().statusCode(403);
    }

    @Test
    void operationsEndpointsStayOpen() {
        RestAssured.get("/q/health/ready").then().statusCode(200).body(containsString("Database connections health check"));
        RestAssured.get("/q/health/live").then().statusCode(200);
        RestAssured.get("/q/openapi?format=json").then().statusCode(200)
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/pools"));
    }
}
