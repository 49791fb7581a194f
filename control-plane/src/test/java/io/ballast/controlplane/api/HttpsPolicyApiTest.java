package io.ballast.controlplane.api;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/** A route's HTTPS policy ({@code httpsRedirect}, {@code hsts}) through the REST API, the declarative file and OpenAPI. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class HttpsPolicyApiTest {
    static {
        RestAssured.config = RestAssured.config().encoderConfig(
                io.restassured.config.EncoderConfig.encoderConfig().encodeContentTypeAs("application/yaml", io.restassured.http.ContentType.TEXT));
    }

    private static String pool() {
        String name = unique("hp");
        admin().body("{\"name\":\"" + name + "\"}").post("/api/v1/pools").then().statusCode(201);
        return name;
    }

    @Test
    void theHttpsPolicyIsStoredAndAnsweredAsWrittenAndCanBeRemoved() {
        String pool = pool();
        String route = unique("https");
        admin().body("""
                {"name":"%s","hosts":["%s.example.com"],"pool":"%s","httpsRedirect":true,"hsts":"max-age=31536000; includeSubDomains"}
                """.formatted(route, route, pool)).post("/api/v1/routes").then().statusCode(201)
                .body("httpsRedirect", equalTo(true)).body("hsts", equalTo("max-age=31536000; includeSubDomains"));
        admin().get("/api/v1/routes/" + route).then().statusCode(200)
                .body("httpsRedirect", equalTo(true)).body("hsts", equalTo("max-age=31536000; includeSubDomains"));
        // Turning it off: false is the default, so the answer no longer carries it (as for any absent optional field).
        admin().contentType("application/merge-patch+json").body("{\"httpsRedirect\":false,\"hsts\":null}")
                .patch("/api/v1/routes/" + route).then().statusCode(200);
        admin().get("/api/v1/routes/" + route).then().statusCode(200)
                .body("$", not(hasKey("httpsRedirect"))).body("hsts", nullValue()).body("pool", equalTo(pool));
    }

    @Test
    void aBadHstsValueIs422NamingTheField() {
        String pool = pool();
        admin().body("""
                {"name":"%s","pool":"%s","hsts":"includeSubDomains"}
                """.formatted(unique("bad"), pool)).post("/api/v1/routes").then().statusCode(422)
                .contentType("application/problem+json").body("errors.field", hasItem("hsts"));
        admin().body("""
                {"name":"%s","pool":"%s","hsts":"max-age=60\\r\\nSet-Cookie: a=b"}
                """.formatted(unique("bad"), pool)).post("/api/v1/routes").then().statusCode(422)
                .body("errors.field", hasItem("hsts"));
    }

    @Test
    void theDeclarativeFileCarriesThePolicyAndPointsIntoIt() {
        String pool = unique("dfh");
        String file = """
                pools:
                  - name: %s
                    backends: [{ host: 10.60.0.2, port: 8080 }]
                routes:
                  - name: %s
                    hosts: [%s.example.com]
                    pool: %s
                    httpsRedirect: true
                    hsts: "max-age=600"
                """.formatted(pool, pool, pool, pool);
        admin().contentType("application/yaml").body(file).post("/api/v1/config/validate").then().statusCode(200);
        admin().contentType("application/yaml").body(file.replace("max-age=600", "max-age=forever"))
                .post("/api/v1/config/validate").then().statusCode(422)
                .body("errors.field", hasItem("routes[0].hsts"));
    }

    @Test
    void theOpenApiDocumentDescribesThePolicy() {
        RestAssured.get("/q/openapi?format=json").then().statusCode(200)
                .body("components.schemas.Route.properties", hasKey("httpsRedirect"))
                .body("components.schemas.Route.properties", hasKey("hsts"));
    }
}
