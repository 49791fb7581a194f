package io.ballast.controlplane.api;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/** A route's {@code rateLimit} through the REST API (defaults, merge patch, 422s), the declarative file and OpenAPI. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class RateLimitApiTest {
    static {
        RestAssured.config = RestAssured.config().encoderConfig(
                io.restassured.config.EncoderConfig.encoderConfig().encodeContentTypeAs("application/yaml", io.restassured.http.ContentType.TEXT));
    }

    private static String pool() {
        String name = unique("rl");
        admin().body("{\"name\":\"" + name + "\"}").post("/api/v1/pools").then().statusCode(201);
        return name;
    }

    @Test
    void aRateLimitIsStoredWithItsDefaultsAndCanBeChangedAndRemoved() {
        String pool = pool();
        String route = unique("limited");
        admin().body("""
                {"name":"%s","pool":"%s","rateLimit":{"requestsPerSecond":50}}
                """.formatted(route, pool)).post("/api/v1/routes").then().statusCode(201)
                .body("rateLimit.requestsPerSecond", equalTo(50)).body("rateLimit.burst", equalTo(50))
                .body("rateLimit.key", equalTo("source-ip")).body("rateLimit.scope", equalTo("fleet"));
        admin().contentType("application/merge-patch+json").body("{\"rateLimit\":{\"key\":\"header:X-Api-Key\",\"scope\":\"node\"}}")
                .patch("/api/v1/routes/" + route).then().statusCode(200)
                .body("rateLimit.requestsPerSecond", equalTo(50)).body("rateLimit.key", equalTo("header:X-Api-Key"))
                .body("rateLimit.scope", equalTo("node"));
        admin().contentType("application/merge-patch+json").body("{\"rateLimit\":null}")
                .patch("/api/v1/routes/" + route).then().statusCode(200);
        admin().get("/api/v1/routes/" + route).then().statusCode(200).body("$", not(hasKey("rateLimit")));
    }

    @Test
    void badValuesAre422NamingTheField() {
        String pool = pool();
        admin().body("""
                {"name":"%s","pool":"%s","rateLimit":{"requestsPerSecond":0,"burst":-1,"key":"cookie:session"}}
                """.formatted(unique("bad"), pool)).post("/api/v1/routes").then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("rateLimit.requestsPerSecond", "rateLimit.burst", "rateLimit.key"));
        admin().body("""
                {"name":"%s","pool":"%s","rateLimit":{"burst":10}}
                """.formatted(unique("bad"), pool)).post("/api/v1/routes").then().statusCode(422)
                .body("errors.field", hasItem("rateLimit.requestsPerSecond"));
        admin().body("""
                {"name":"%s","pool":"%s","rateLimit":{"requestsPerSecond":5,"scope":"planet"}}
                """.formatted(unique("bad"), pool)).post("/api/v1/routes").then().statusCode(400);
    }

    @Test
    void theDeclarativeFileCarriesTheLimitAndPointsIntoIt() {
        String pool = unique("dfr");
        String file = """
                pools:
                  - name: %s
                    backends: [{ host: 10.60.0.3, port: 8080 }]
                routes:
                  - name: %s
                    pool: %s
                    rateLimit: { requestsPerSecond: 10, burst: 20, key: "header:X-Api-Key", scope: node }
                """.formatted(pool, pool, pool);
        admin().contentType("application/yaml").body(file).post("/api/v1/config/validate").then().statusCode(200);
        admin().contentType("application/yaml").body(file.replace("burst: 20", "burst: 0"))
                .post("/api/v1/config/validate").then().statusCode(422)
                .body("errors.field", hasItem("routes[0].rateLimit.burst"));
    }

    @Test
    void theOpenApiDocumentDescribesTheLimit() {
        RestAssured.get("/q/openapi?format=json").then().statusCode(200)
                .body("components.schemas.Route.properties", hasKey("rateLimit"))
                .body("components.schemas.RateLimit.properties", hasKey("requestsPerSecond"))
                .body("components.schemas.RateLimit.properties", hasKey("burst"))
                .body("components.schemas.RateLimit.properties", hasKey("key"))
                .body("components.schemas.RateLimit.properties", hasKey("scope"));
    }
}
