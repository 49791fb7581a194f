package io.ballast.controlplane.api;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/**
 * The traffic-management fields of routes and pools through the REST API, the declarative file and the OpenAPI
 * document: accepted and given back as written, and refused with a 422 that names the field.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class TrafficRulesApiTest {
    static {
        // REST Assured sends a YAML body as the text it is.
        RestAssured.config = RestAssured.config().encoderConfig(
                io.restassured.config.EncoderConfig.encoderConfig().encodeContentTypeAs("application/yaml", io.restassured.http.ContentType.TEXT));
    }

    private static String pool() {
        String name = unique("tr");
        admin().body("{\"name\":\"" + name + "\"}").post("/api/v1/pools").then().statusCode(201);
        return name;
    }

    @Test
    void aRouteWithConditionsIsStoredAndAnsweredAsWritten() {
        String pool = pool();
        String route = unique("cond");
        admin().body("""
                {"name":"%s","hosts":["%s.example.com"],"pathRegex":"/items/[0-9]+","pool":"%s",
                 "match":{"methods":["PUT"],"headers":[{"name":"X-Beta","present":true,"invert":true}],"query":[{"name":"v","exact":"2"}]}}
                """.formatted(route, route, pool)).post("/api/v1/routes").then().statusCode(201);
        admin().get("/api/v1/routes/" + route).then().statusCode(200)
                .body("pathRegex", equalTo("/items/[0-9]+"))
                .body("pathPrefix", nullValue())
                .body("match.methods", contains("PUT"))
                .body("match.headers[0].invert", equalTo(true))
                .body("match.query[0].exact", equalTo("2"));
        // A merge patch moves it to an exact path: the regex is set to null in the same patch.
        admin().contentType("application/merge-patch+json").body("{\"pathRegex\":null,\"pathExact\":\"/items\"}")
                .patch("/api/v1/routes/" + route).then().statusCode(200).body("pathExact", equalTo("/items"));
    }

    @Test
    void badConditionsAre422NamingTheField() {
        String pool = pool();
        admin().body("""
                {"name":"%s","pool":"%s","pathPrefix":"/a","pathExact":"/b",
                 "match":{"methods":["get"],"headers":[{"name":"X-A","regex":"(["}],"query":[{"name":"q"}]}}
                """.formatted(unique("bad"), pool)).post("/api/v1/routes").then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("pathExact"))
                .body("errors.field", hasItem("match.methods[0]"))
                .body("errors.field", hasItem("match.headers[0].regex"))
                .body("errors.field", hasItem("match.query[0]"));
    }

    @Test
    void aRouteThatAnswersItselfNeedsNoPoolAndHeaderEditsCannotInjectLines() {
        String route = unique("redir");
        admin().body("""
                {"name":"%s","hosts":["%s.example.com"],"redirect":{"scheme":"https","code":308},
                 "responseHeaders":{"set":{"X-Served-By":"${scheme}"}}}
                """.formatted(route, route)).post("/api/v1/routes").then().statusCode(201);
        admin().get("/api/v1/routes/" + route).then().statusCode(200)
                .body("pool", nullValue()).body("redirect.code", equalTo(308));
        admin().body("""
                {"name":"%s","pool":"%s","requestHeaders":{"set":{"X-A":"one\\r\\nX-Injected: 1"},"remove":["Content-Length"]},
                 "rewrite":{"pathRegex":{"pattern":"^/v([0-9]+)","substitution":"/$2"}}}
                """.formatted(unique("inj"), pool())).post("/api/v1/routes").then().statusCode(422)
                .body("errors.field", hasItem("requestHeaders.set.X-A"))
                .body("errors.field", hasItem("requestHeaders.remove[0]"))
                .body("errors.field", hasItem("rewrite.pathRegex.substitution"));
        admin().body("{\"name\":\"" + unique("nopool") + "\"}").post("/api/v1/routes").then().statusCode(422)
                .body("errors.field", hasItem("pool"));
    }

    @Test
    void aWeightedSplitNamesPoolsThatMustExistAndGuardsThemAgainstDeletion() {
        String blue = pool();
        String green = pool();
        String route = unique("split");
        admin().body("""
                {"name":"%s","hosts":["%s.example.com"],"pools":[{"pool":"%s","weight":90},{"pool":"%s","weight":10}]}
                """.formatted(route, route, blue, green)).post("/api/v1/routes").then().statusCode(201);
        admin().get("/api/v1/routes/" + route).then().body("pools[1].weight", equalTo(10)).body("pool", nullValue());
        admin().delete("/api/v1/pools/" + green).then().statusCode(409).body("detail", containsString(route));
        admin().body("""
                {"name":"%s","pool":"%s","pools":[{"pool":"nope-%s","weight":1001},{"pool":"%s"},{"pool":"%s"}]}
                """.formatted(unique("bad-split"), blue, route, blue, blue)).post("/api/v1/routes").then().statusCode(422)
                .body("errors.field", hasItem("pools"))
                .body("errors.field", hasItem("pools[0].weight"))
                .body("errors.field", hasItem("pools[2].pool"));
    }

    @Test
    void retryFieldsAreValidatedOnThePool() {
        String name = unique("rp");
        admin().body("{\"name\":\"" + name + "\",\"retries\":{\"on\":[\"timeout\",\"4xx\"]}}").post("/api/v1/pools")
                .then().statusCode(422)
                .body("errors.field", hasItem("retries.on[1]"))
                .body("errors.field", hasItem("retries.perTryTimeout"));
        admin().body("{\"name\":\"" + name + "\",\"retries\":{\"on\":[\"timeout\",\"5xx\"],\"perTryTimeout\":\"500ms\",\"nonIdempotent\":true}}")
                .post("/api/v1/pools").then().statusCode(201);
        admin().get("/api/v1/pools/" + name).then().body("retries.perTryTimeout", equalTo("500ms")).body("retries.nonIdempotent", equalTo(true));
    }

    @Test
    void theDeclarativeFileCarriesTheNewFieldsAndPointsIntoIt() {
        String pool = unique("df");
        String file = """
                pools:
                  - name: %s
                    retries: { on: [reset, timeout], perTryTimeout: 1s }
                    backends: [{ host: 10.60.0.1, port: 8080 }]
                routes:
                  - name: %s
                    hosts: [%s.example.com]
                    pathExact: /status
                    pool: %s
                    match: { headers: [{ name: X-Env, prefix: prod }] }
                """.formatted(pool, pool, pool, pool);
        admin().contentType("application/yaml").body(file).post("/api/v1/config/validate").then().statusCode(200);
        admin().contentType("application/yaml").body(file.replace("prefix: prod", "regex: \"(\""))
                .post("/api/v1/config/validate").then().statusCode(422)
                .body("errors.field", hasItem("routes[0].match.headers[0].regex"));
    }

    @Test
    void theOpenApiDocumentDescribesTheNewFields() {
        RestAssured.get("/q/openapi?format=json").then().statusCode(200)
                .body("components.schemas.Route.properties", hasKey("match"))
                .body("components.schemas.Route.properties", hasKey("pathRegex"))
                .body("components.schemas.Route.properties", hasKey("pathExact"))
                .body("components.schemas.RequestMatch.properties", hasKey("headers"))
                .body("components.schemas.RetryPolicy.properties", hasKey("perTryTimeout"))
                .body("components.schemas.RetryPolicy.properties.nonIdempotent", notNullValue());
    }
}
