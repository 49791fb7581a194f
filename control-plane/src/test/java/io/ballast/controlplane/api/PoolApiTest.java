package io.ballast.controlplane.api;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class PoolApiTest {

    @Test
    void createsReadsListsReplacesAndDeletesAPool() {
        String name = unique("web");
        admin().body("""
                {"name":"%s","algorithm":"round-robin","healthCheck":{"path":"/healthz","interval":"2s"},
                 "backends":[{"host":"10.0.0.11","port":8080},{"host":"10.0.0.12","port":8080,"weight":50}]}
                """.formatted(name))
                .post("/api/v1/pools")
                .then().statusCode(201)
                .header("Location", endsWith("/api/v1/pools/" + name))
                .body("name", equalTo(name))
                .body("healthCheck.interval", equalTo("2s"))
                .body("healthCheck.timeout", equalTo("2s"))
                .body("backends", hasSize(2))
                .body("backends.find { it.host == '10.0.0.12' }.weight", equalTo(50))
                .body("backends.find { it.host == '10.0.0.11' }.name", equalTo("10.0.0.11:8080"));

        admin().get("/api/v1/pools/" + name).then().statusCode(200)
                .body("algorithm", equalTo("round-robin"))
                .body("backends.name", hasItem("10.0.0.12:8080"));
        admin().get("/api/v1/pools?limit=1000").then().statusCode(200).body("items.name", hasItem(name));

        // PUT without "backends" keeps them.
        admin().body("""
                {"algorithm":"least-requests","healthCheck":{"path":"/ready"}}""")
                .put("/api/v1/pools/" + name)
                .then().statusCode(200)
                .body("algorithm", equalTo("least-requests"))
                .body("healthCheck.path", equalTo("/ready"))
                .body("backends", hasSize(2));

        // PUT with "backends" replaces them.
        admin().body("""
                {"name":"%s","backends":[{"host":"10.0.0.13","port":9090}]}""".formatted(name))
                .put("/api/v1/pools/" + name)
                .then().statusCode(200)
                .body("algorithm", equalTo("round-robin"))
                .body("backends.name", equalTo(List.of("10.0.0.13:9090")));

        admin().delete("/api/v1/pools/" + name).then().statusCode(204);
        admin().get("/api/v1/pools/" + name).then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("detail", containsString(name));
    }

    @Test
    void pagesThroughPoolsWithACursor() {
        String prefix = unique("pg");
        for (int i = 0; i < 3; i++) {
            admin().body("{\"name\":\"" + prefix + "-" + i + "\"}").post("/api/v1/pools").then().statusCode(201);
        }
        String next = admin().get("/api/v1/pools?limit=2&after=" + prefix).then().statusCode(200)
                .body("items.name", equalTo(List.of(prefix + "-0", prefix + "-1")))
                .extract().path("next");
        assertThat(next).isEqualTo(prefix + "-1");
        admin().get("/api/v1/pools?limit=1&after=" + next).then().statusCode(200)
                .body("items.name", equalTo(List.of(prefix + "-2")));
    }
}
