package io.ballast.controlplane.security;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of the OpenAPI document × every role, no token and a wrong token. Allowed calls
 * aim at resources that do not exist or carry invalid bodies, so the matrix changes nothing; they
 * must get past authorization (anything but 401 and 403).
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class AuthorizationMatrixTest {
    @Inject
    TokenService tokens;

    /** METHOD path-template → (least role, concrete path, body). */
    private static final Map<String, Endpoint> ENDPOINTS = new LinkedHashMap<>();

    private record Endpoint(Role least, String path, String body) {
    }

    private static void endpoint(String method, String template, Role least, String path, String body) {
        ENDPOINTS.put(method + " " + template, new Endpoint(least, path, body));
    }

    static {
        String pool = "/api/v1/pools/matrix-missing";
        endpoint("GET", "/api/v1/pools", Role.VIEWER, "/api/v1/pools", null);
        endpoint("POST", "/api/v1/pools", Role.ADMIN, "/api/v1/pools", "{}");
        endpoint("GET", "/api/v1/pools/{pool}", Role.VIEWER, pool, null);
        endpoint("PUT", "/api/v1/pools/{pool}", Role.ADMIN, pool, "{}");
        endpoint("PATCH", "/api/v1/pools/{pool}", Role.ADMIN, pool, "{}");
        endpoint("DELETE", "/api/v1/pools/{pool}", Role.ADMIN, pool, null);
        endpoint("GET", "/api/v1/pools/{pool}/backends", Role.VIEWER, pool + "/backends", null);
        endpoint("POST", "/api/v1/pools/{pool}/backends", Role.ADMIN, pool + "/backends", "{}");
        endpoint("GET", "/api/v1/pools/{pool}/backends/{backend}", Role.VIEWER, pool + "/backends/b", null);
        endpoint("PUT", "/api/v1/pools/{pool}/backends/{backend}", Role.ADMIN, pool + "/backends/b", "{}");
        endpoint("PATCH", "/api/v1/pools/{pool}/backends/{backend}", Role.ADMIN, pool + "/backends/b", "{}");
        endpoint("DELETE", "/api/v1/pools/{pool}/backends/{backend}", Role.ADMIN, pool + "/backends/b", null);
        endpoint("POST", "/api/v1/pools/{pool}/backends/{backend}/drain", Role.OPERATOR, pool + "/backends/b/drain", null);
        endpoint("POST", "/api/v1/pools/{pool}/backends/{backend}/enable", Role.OPERATOR, pool + "/backends/b/enable", null);
        endpoint("POST", "/api/v1/pools/{pool}/backends/{backend}/disable", Role.OPERATOR, pool + "/backends/b/disable", null);
        endpoint("GET", "/api/v1/routes", Role.VIEWER, "/api/v1/routes", null);
        endpoint("POST", "/api/v1/routes", Role.ADMIN, "/api/v1/routes", "{}");
        endpoint("GET", "/api/v1/routes/{route}", Role.VIEWER, "/api/v1/routes/matrix-missing", null);
        endpoint("PUT", "/api/v1/routes/{route}", Role.ADMIN, "/api/v1/routes/matrix-missing", "{}");
        endpoint("PATCH", "/api/v1/routes/{route}", Role.ADMIN, "/api/v1/routes/matrix-missing", "{}");
        endpoint("DELETE", "/api/v1/routes/{route}", Role.ADMIN, "/api/v1/routes/matrix-missing", null);
        endpoint("GET", "/api/v1/revisions", Role.VIEWER, "/api/v1/revisions", null);
        endpoint("GET", "/api/v1/revisions/{number}", Role.VIEWER, "/api/v1/revisions/1", null);
        endpoint("GET", "/api/v1/revisions/{number}/diff", Role.VIEWER, "/api/v1/revisions/1/diff", null);
        endpoint("POST", "/api/v1/revisions/{number}/rollback", Role.ADMIN, "/api/v1/revisions/999999/rollback", null);
        endpoint("GET", "/api/v1/config", Role.VIEWER, "/api/v1/config", null);
        endpoint("PUT", "/api/v1/config", Role.ADMIN, "/api/v1/config", "{\"pools\":[{}]}");
        endpoint("POST", "/api/v1/config/validate", Role.VIEWER, "/api/v1/config/validate", "{}");
        endpoint("GET", "/api/v1/tokens", Role.ADMIN, "/api/v1/tokens", null);
        endpoint("POST", "/api/v1/tokens", Role.ADMIN, "/api/v1/tokens", "{}");
        endpoint("DELETE", "/api/v1/tokens/{name}", Role.ADMIN, "/api/v1/tokens/matrix-missing", null);
        endpoint("GET", "/api/v1/dataplanes", Role.VIEWER, "/api/v1/dataplanes", null);
        endpoint("GET", "/api/v1/dataplanes/{node}", Role.VIEWER, "/api/v1/dataplanes/matrix-missing", null);
        endpoint("GET", "/api/v1/health", Role.VIEWER, "/api/v1/health", null);
        endpoint("GET", "/api/v1/health/events", Role.VIEWER, "/api/v1/health/events", null);
        endpoint("GET", "/api/v1/pools/{pool}/health", Role.VIEWER, pool + "/health", null);
        endpoint("GET", "/api/v1/pools/{pool}/traffic", Role.VIEWER, pool + "/traffic", null);
        endpoint("GET", "/api/v1/traffic", Role.VIEWER, "/api/v1/traffic", null);
        endpoint("GET", "/api/v1/me", Role.VIEWER, "/api/v1/me", null);
        endpoint("GET", "/api/v1", Role.VIEWER, "/api/v1", null);
        String certificate = "/api/v1/certificates/matrix-missing";
        endpoint("GET", "/api/v1/certificates", Role.VIEWER, "/api/v1/certificates", null);
        endpoint("POST", "/api/v1/certificates", Role.ADMIN, "/api/v1/certificates", "{}");
        endpoint("GET", "/api/v1/certificates/{name}", Role.VIEWER, certificate, null);
        endpoint("PUT", "/api/v1/certificates/{name}", Role.ADMIN, certificate, "{}");
        endpoint("DELETE", "/api/v1/certificates/{name}", Role.ADMIN, certificate, null);
        endpoint("GET", "/api/v1/rollouts", Role.VIEWER, "/api/v1/rollouts", null);
        endpoint("GET", "/api/v1/rollouts/{id}", Role.VIEWER, "/api/v1/rollouts/999999", null);
        endpoint("POST", "/api/v1/rollouts/{id}/promote", Role.ADMIN, "/api/v1/rollouts/999999/promote", null);
        endpoint("POST", "/api/v1/rollouts/{id}/abort", Role.ADMIN, "/api/v1/rollouts/999999/abort", null);
        endpoint("GET", "/api/v1/rollouts/policy", Role.VIEWER, "/api/v1/rollouts/policy", null);
        endpoint("PUT", "/api/v1/rollouts/policy", Role.ADMIN, "/api/v1/rollouts/policy", "{\"bakeTime\":\"nope\"}");
    }

    @Test
    void theMatrixCoversEveryEndpointOfTheOpenApiDocument() {
        JsonPath doc = RestAssured.get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        Set<String> documented = new TreeSet<>();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        paths.forEach((path, item) -> item.keySet().stream()
                .filter(m -> Set.of("get", "put", "post", "patch", "delete").contains(m))
                .forEach(m -> documented.add(m.toUpperCase() + " " + path)));
        assertThat(documented).isEqualTo(new TreeSet<>(ENDPOINTS.keySet()));
    }

    @Test
    void everyEndpointTimesEveryRoleNoTokenAndAWrongToken() {
        Map<String, String> callers = new LinkedHashMap<>();
        callers.put("viewer", tokens.issue(unique("m-viewer"), Role.VIEWER));
        callers.put("operator", tokens.issue(unique("m-operator"), Role.OPERATOR));
        callers.put("admin", EmbeddedPostgresResource.ADMIN_TOKEN);
        callers.put("dataplane", EmbeddedPostgresResource.DATAPLANE_TOKEN);
        callers.put("no token", null);
        callers.put("wrong token", "blst_" + "x".repeat(43));
        String before = admin().get("/api/v1/config").then().extract().asString();

        List<String> wrong = new ArrayList<>();
        ENDPOINTS.forEach((key, endpoint) -> callers.forEach((who, token) -> {
            int status = call(key.substring(0, key.indexOf(' ')), endpoint, token).statusCode();
            int expected = expected(who, endpoint.least());
            boolean ok = expected == 0 ? status != 401 && status != 403 && status < 500 : status == expected;
            if (!ok) {
                wrong.add(key + " as " + who + ": " + status + " (expected " + (expected == 0 ? "allowed" : expected) + ")");
            }
        }));
        assertThat(wrong).isEmpty();
        assertThat(admin().get("/api/v1/config").then().extract().asString()).isEqualTo(before);
    }

    /** 0: allowed. */
    private static int expected(String who, Role least) {
        return switch (who) {
            case "no token", "wrong token" -> 401;
            case "dataplane" -> 403;
            default -> Role.fromWireName(who).allowsRest(least) ? 0 : 403;
        };
    }

    private static Response call(String method, Endpoint endpoint, String token) {
        RequestSpecification spec = RestAssured.given().contentType("application/json");
        if (token != null) {
            spec.header("Authorization", "Bearer " + token);
        }
        if (endpoint.body() != null) {
            spec.body(endpoint.body());
        }
        return spec.request(method, endpoint.path());
    }
}
