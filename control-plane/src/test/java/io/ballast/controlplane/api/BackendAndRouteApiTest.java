package io.ballast.controlplane.api;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class BackendAndRouteApiTest {

    private static String pool() {
        String name = unique("pool");
        admin().body("{\"name\":\"" + name + "\"}").post("/api/v1/pools").then().statusCode(201);
        return name;
    }

    @Test
    void backendLifecycleIncludingAdminStates() {
        String pool = pool();
        String base = "/api/v1/pools/" + pool + "/backends";
        admin().body("{\"host\":\"10.1.0.1\",\"port\":8080,\"labels\":{\"zone\":\"a\"}}").post(base)
                .then().statusCode(201)
                .header("Location", endsWith(base + "/10.1.0.1:8080"))
                .body("name", equalTo("10.1.0.1:8080"))
                .body("weight", equalTo(100))
                .body("adminState", equalTo("enabled"))
                .body("labels.zone", equalTo("a"));
        admin().body("{\"name\":\"b2\",\"host\":\"10.1.0.2\",\"port\":8080,\"weight\":10}").post(base)
                .then().statusCode(201).body("name", equalTo("b2"));

        admin().get(base).then().statusCode(200).body("items.name", equalTo(List.of("10.1.0.1:8080", "b2")));
        admin().get(base + "/b2").then().statusCode(200).body("weight", equalTo(10));

        admin().post(base + "/b2/drain").then().statusCode(200).body("adminState", equalTo("draining"));
        admin().post(base + "/b2/disable").then().statusCode(200).body("adminState", equalTo("disabled"));
        admin().get("/api/v1/pools/" + pool).then().body("backends.find { it.name == 'b2' }.adminState", equalTo("disabled"));
        admin().post(base + "/b2/enable").then().statusCode(200).body("adminState", equalTo("enabled"));

        // PUT without a name keeps the path's name.
        admin().body("{\"host\":\"10.1.0.3\",\"port\":9000,\"weight\":0}").put(base + "/b2")
                .then().statusCode(200).body("name", equalTo("b2")).body("host", equalTo("10.1.0.3")).body("weight", equalTo(0));

        admin().delete(base + "/b2").then().statusCode(204);
        admin().get(base + "/b2").then().statusCode(404);
        admin().get(base).then().body("items.name", not(hasItem("b2")));
    }

    @Test
    void backendConflictsAndMissingParents() {
        String pool = pool();
        String base = "/api/v1/pools/" + pool + "/backends";
        admin().body("{\"name\":\"a\",\"host\":\"10.2.0.1\",\"port\":80}").post(base).then().statusCode(201);
        admin().body("{\"name\":\"a\",\"host\":\"10.2.0.2\",\"port\":80}").post(base)
                .then().statusCode(409).contentType("application/problem+json").body("detail", containsString("'a'"));
        admin().body("{\"name\":\"b\",\"host\":\"10.2.0.1\",\"port\":80}").post(base)
                .then().statusCode(409).body("detail", containsString("10.2.0.1:80"));
        admin().body("{\"host\":\"10.2.0.9\",\"port\":80}").post("/api/v1/pools/no-such-pool/backends").then().statusCode(404);
        admin().post(base + "/nope/drain").then().statusCode(404);
    }

    @Test
    void routeLifecycleAndPoolInUse() {
        String pool = pool();
        String route = unique("site");
        admin().body("""
                {"name":"%s","hosts":["Shop.Example.com"],"pathPrefix":"/api","pool":"%s"}""".formatted(route, pool))
                .post("/api/v1/routes")
                .then().statusCode(201)
                .header("Location", endsWith("/api/v1/routes/" + route))
                .body("hosts", equalTo(List.of("shop.example.com")))
                .body("priority", equalTo(0))
                .body("stripPrefix", equalTo(false));
        admin().get("/api/v1/routes?limit=1000").then().statusCode(200).body("items.name", hasItem(route));

        admin().delete("/api/v1/pools/" + pool).then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString(route));

        admin().body("{\"pool\":\"%s\",\"pathPrefix\":\"/v2\"}".formatted(pool)).put("/api/v1/routes/" + route)
                .then().statusCode(200).body("pathPrefix", equalTo("/v2")).body("hosts", equalTo(List.of("*")));
        admin().get("/api/v1/routes/" + route).then().statusCode(200).body("pathPrefix", equalTo("/v2"));

        admin().delete("/api/v1/routes/" + route).then().statusCode(204);
        admin().get("/api/v1/routes/" + route).then().statusCode(404);
        admin().delete("/api/v1/pools/" + pool).then().statusCode(204);
    }
}
