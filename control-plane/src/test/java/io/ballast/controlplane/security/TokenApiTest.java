package io.ballast.controlplane.security;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.as;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.ballast.controlplane.persistence.TokenRepository;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class TokenApiTest {
    @Inject
    TokenRepository rows;

    private static String create(String name, String role) {
        return admin().body("{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}").post("/api/v1/tokens")
                .then().statusCode(201)
                .header("Cache-Control", "no-store")
                .body("name", equalTo(name)).body("role", equalTo(role)).body("createdBy", equalTo("admin"))
                .body("secret", startsWith("blst_"))
                .extract().path("secret");
    }

    @Test
    void aNamedTokenIsShownOnceStoredHashedUsedAndRevokedAtOnce() {
        String name = unique("ci");
        String secret = create(name, "operator");
        // Listed without its secret; stored only as a salted slow hash.
        admin().get("/api/v1/tokens?limit=1000").then().statusCode(200)
                .body("items.name", hasItem(name))
                .body("items.find { it.name == '" + name + "' }.secret", nullValue())
                .body("items.find { it.name == '" + name + "' }.lastUsedAt", nullValue());
        assertThat(hashOf(name)).startsWith("pbkdf2-sha256$").doesNotContain(secret);

        String pool = unique("tok");
        admin().body("{\"name\":\"" + pool + "\",\"backends\":[{\"name\":\"a\",\"host\":\"10.30.0.1\",\"port\":80},"
                + "{\"name\":\"b\",\"host\":\"10.30.0.2\",\"port\":80}]}").post("/api/v1/pools").then().statusCode(201);
        as(secret).header("X-Ballast-Change-Message", "maintenance on a").post("/api/v1/pools/" + pool + "/backends/a/drain")
                .then().statusCode(200);
        admin().get("/api/v1/revisions?limit=1").then()
                .body("items[0].author", equalTo(name))
                .body("items[0].message", equalTo("maintenance on a"));
        admin().get("/api/v1/tokens?limit=1000").then().body("items.find { it.name == '" + name + "' }.lastUsedAt", notNullValue());

        admin().delete("/api/v1/tokens/" + name).then().statusCode(204);
        as(secret).get("/api/v1/pools").then().statusCode(401).contentType("application/problem+json");
        admin().get("/api/v1/tokens?limit=1000").then().body("items.name", not(hasItem(name)));
        admin().delete("/api/v1/tokens/" + name).then().statusCode(404);
    }

    @Test
    void badTokenRequestsAreProblems() {
        admin().body("{\"name\":\"Bad Name\",\"role\":\"root\"}").post("/api/v1/tokens").then().statusCode(422)
                .body("errors.field", equalTo(List.of("name", "role")));
        admin().body("{\"name\":\"x\",\"role\":\"viewer\",\"secret\":\"mine\"}").post("/api/v1/tokens").then().statusCode(400);
        admin().body("{\"name\":\"x\",\"role\":\"ADMIN\"}").post("/api/v1/tokens").then().statusCode(422);
        String name = unique("twice");
        create(name, "viewer");
        admin().body("{\"name\":\"" + name + "\",\"role\":\"viewer\"}").post("/api/v1/tokens").then().statusCode(409);
    }

    @Test
    void theLastAdminTokenCannotBeDeletedButAnotherAdminCanBe() {
        String other = unique("admin2");
        String secret = create(other, "admin");
        as(secret).get("/api/v1/tokens").then().statusCode(200);
        admin().delete("/api/v1/tokens/" + other).then().statusCode(204);
        // Other tests may have left admin tokens behind; without them 'admin' is the last one.
        List<String> admins = admin().get("/api/v1/tokens?limit=1000").then().extract().jsonPath()
                .getList("items.findAll { it.role == 'admin' && it.name != 'admin' }.name");
        admins.forEach(n -> admin().delete("/api/v1/tokens/" + n).then().statusCode(204));
        admin().delete("/api/v1/tokens/admin").then().statusCode(409).body("detail", org.hamcrest.Matchers.containsString("last admin"));
    }

    @Test
    void onlyAdminsManageTokens() {
        String viewer = create(unique("v"), "viewer");
        String operator = create(unique("o"), "operator");
        as(viewer).get("/api/v1/tokens").then().statusCode(403);
        as(operator).get("/api/v1/tokens").then().statusCode(403);
        as(operator).body("{\"name\":\"" + unique("x") + "\",\"role\":\"admin\"}").post("/api/v1/tokens").then().statusCode(403);
        as(operator).delete("/api/v1/tokens/admin").then().statusCode(403);
    }

    @Transactional
    String hashOf(String name) {
        return rows.findByName(name).orElseThrow().secretHash;
    }
}
