package io.ballast.controlplane.api;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/**
 * Pool {@code protocol} and the {@code grpc} health check ({@code healthCheck.service}) through the REST API, the
 * declarative file and OpenAPI: stored and answered as written, absent unless given, refused with 422 at the field.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class BackendProtocolApiTest {
    static {
        RestAssured.config = RestAssured.config().encoderConfig(
                io.restassured.config.EncoderConfig.encoderConfig().encodeContentTypeAs("application/yaml", io.restassured.http.ContentType.TEXT));
    }

    @Test
    void protocolAndGrpcCheckAreStoredAnsweredAndPatchedBackToTheDefault() {
        String pool = unique("grpc");
        admin().body("{\"name\":\"" + pool + "\",\"protocol\":\"h2c\",\"healthCheck\":{\"type\":\"grpc\",\"service\":\"shop.Cart\"}}")
                .post("/api/v1/pools").then().statusCode(201)
                .body("protocol", equalTo("h2c")).body("healthCheck.type", equalTo("grpc")).body("healthCheck.service", equalTo("shop.Cart"));
        admin().get("/api/v1/pools/" + pool).then().statusCode(200).body("protocol", equalTo("h2c"));
        admin().contentType("application/merge-patch+json").body("{\"protocol\":null,\"healthCheck\":{\"type\":\"http\",\"service\":null}}")
                .patch("/api/v1/pools/" + pool).then().statusCode(200)
                .body("$", not(hasKey("protocol"))).body("healthCheck", not(hasKey("service")));
        String plain = unique("plain");
        admin().body("{\"name\":\"" + plain + "\"}").post("/api/v1/pools").then().statusCode(201).body("$", not(hasKey("protocol")));
    }

    @Test
    void anUnknownProtocolH2WithoutTlsAndGrpcOverHttp1AreRefusedAtTheField() {
        admin().body("{\"name\":\"" + unique("p") + "\",\"protocol\":\"spdy\"}").post("/api/v1/pools").then().statusCode(422)
                .body("errors.field", hasItem("protocol"));
        admin().body("{\"name\":\"" + unique("p") + "\",\"protocol\":\"h2\"}").post("/api/v1/pools").then().statusCode(422)
                .body("errors.field", hasItem("protocol"));
        admin().body("{\"name\":\"" + unique("p") + "\",\"healthCheck\":{\"type\":\"grpc\"}}").post("/api/v1/pools").then().statusCode(422)
                .body("errors.field", hasItem("healthCheck.type"));
    }

    @Test
    void theDeclarativeFileCarriesTheProtocolAndPointsIntoIt() {
        String pool = unique("dfp");
        String file = """
                pools:
                  - name: %s
                    protocol: h2c
                    healthCheck: { type: grpc, service: shop.Cart }
                    backends: [{ host: 10.60.0.3, port: 50051 }]
                """.formatted(pool);
        admin().contentType("application/yaml").body(file).post("/api/v1/config/validate").then().statusCode(200);
        admin().contentType("application/yaml").body(file.replace("protocol: h2c", "protocol: h3"))
                .post("/api/v1/config/validate").then().statusCode(422).body("errors.field", hasItem("pools[0].protocol"));
    }

    @Test
    void theOpenApiDocumentDescribesBothFields() {
        RestAssured.get("/q/openapi?format=json").then().statusCode(200)
                .body("components.schemas.Pool.properties", hasKey("protocol"))
                .body("components.schemas.HealthCheck.properties", hasKey("service"));
    }
}
