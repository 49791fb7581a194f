package io.ballast.controlplane.api;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/** A route's {@code mirror} through the REST API, the declarative file and OpenAPI, with its 422s and the pool-delete guard. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class MirrorApiTest {
    static {
        RestAssured.config = RestAssured.config().encoderConfig(
                io.restassured.config.EncoderConfig.encoderConfig().encodeContentTypeAs("application/yaml", io.restassured.http.ContentType.TEXT));
    }

    private static String pool() {
        String name = unique("mp");
        admin().body("{\"name\":\"" + name + "\"}").post("/api/v1/pools").then().statusCode(201);
        return name;
    }

    @Test
    void aMirrorIsStoredWithItsDefaultsAndCanBeRemoved() {
        String web = pool();
        String shadow = pool();
        String route = unique("mirror");
        admin().body("""
                {"name":"%s","hosts":["%s.example.com"],"pool":"%s","mirror":{"pool":"%s"}}
                """.formatted(route, route, web, shadow)).post("/api/v1/routes").then().statusCode(201)
                .body("mirror.pool", equalTo(shadow)).body("mirror.percent", equalTo(100)).body("mirror.maxBody", equalTo(65536));
        admin().contentType("application/merge-patch+json").body("{\"mirror\":{\"percent\":10}}")
                .patch("/api/v1/routes/" + route).then().statusCode(200).body("mirror.percent", equalTo(10)).body("mirror.pool", equalTo(shadow));
        // The mirror pool is in use: deleting it is refused until the route stops mirroring to it.
        admin().delete("/api/v1/pools/" + shadow).then().statusCode(409).body("detail", containsString(route));
        admin().contentType("application/merge-patch+json").body("{\"mirror\":null}")
                .patch("/api/v1/routes/" + route).then().statusCode(200);
        admin().get("/api/v1/routes/" + route).then().statusCode(200).body("$", not(hasKey("mirror")));
        admin().delete("/api/v1/pools/" + shadow).then().statusCode(204);
    }

    @Test
    void badMirrorsAre422NamingTheField() {
        String web = pool();
        admin().body("""
                {"name":"%s","pool":"%s","mirror":{"pool":"no-such-pool"}}
                """.formatted(unique("bad"), web)).post("/api/v1/routes").then().statusCode(422)
                .contentType("application/problem+json").body("errors.field", hasItem("mirror.pool"));
        admin().body("""
                {"name":"%s","pool":"%s","mirror":{"pool":"%s","percent":101}}
                """.formatted(unique("bad"), web, web)).post("/api/v1/routes").then().statusCode(422)
                .body("errors.field", hasItem("mirror.percent"));
        admin().body("""
                {"name":"%s","directResponse":{"status":200},"mirror":{"pool":"%s"}}
                """.formatted(unique("bad"), web)).post("/api/v1/routes").then().statusCode(422)
                .body("errors.field", hasItem("mirror"));
    }

    @Test
    void theDeclarativeFileCarriesTheMirrorAndPointsIntoIt() {
        String web = unique("dfm");
        String file = """
                pools:
                  - name: %s
                    backends: [{ host: 10.60.0.3, port: 8080 }]
                  - name: %s-shadow
                    backends: [{ host: 10.60.0.4, port: 8080 }]
                routes:
                  - name: %s
                    hosts: [%s.example.com]
                    pool: %s
                    mirror: { pool: %s-shadow, percent: 5 }
                """.formatted(web, web, web, web, web, web);
        admin().contentType("application/yaml").body(file).post("/api/v1/config/validate").then().statusCode(200);
        admin().contentType("application/yaml").body(file.replace("mirror: { pool: " + web + "-shadow", "mirror: { pool: nowhere"))
                .post("/api/v1/config/validate").then().statusCode(422)
                .body("errors.field", hasItem("routes[0].mirror.pool"));
        admin().contentType("application/yaml").body(file.replace("percent: 5", "percent: 500"))
                .post("/api/v1/config/validate").then().statusCode(422)
                .body("errors.field", hasItem("routes[0].mirror.percent"));
    }

    @Test
    void theOpenApiDocumentDescribesTheMirror() {
        RestAssured.get("/q/openapi?format=json").then().statusCode(200)
                .body("components.schemas.Route.properties", hasKey("mirror"))
                .body("components.schemas.Mirror.properties", hasKey("percent"))
                .body("components.schemas.Mirror.properties", hasKey("maxBody"));
    }
}
