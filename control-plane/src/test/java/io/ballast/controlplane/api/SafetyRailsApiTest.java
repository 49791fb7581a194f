package io.ballast.controlplane.api;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A change that would leave a pool without an enabled backend is 409 unless forced; metadata addresses are refused. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class SafetyRailsApiTest {
    private static final String MERGE_PATCH = "application/merge-patch+json";

    private static long latest() {
        return admin().get("/api/v1/revisions?limit=1").then().statusCode(200).extract().<Number>path("items[0].number").longValue();
    }

    private static String poolWithOneEnabledBackend() {
        String pool = unique("rail");
        admin().body("{\"name\":\"" + pool + "\",\"backends\":[{\"name\":\"a\",\"host\":\"10.80.0.1\",\"port\":80},"
                + "{\"name\":\"b\",\"host\":\"10.80.0.2\",\"port\":80,\"adminState\":\"disabled\"}]}").post("/api/v1/pools")
                .then().statusCode(201);
        return pool;
    }

    @Test
    void everyWayOfRemovingTheLastEnabledBackendIs409UnlessForced() {
        String pool = poolWithOneEnabledBackend();
        String a = "/api/v1/pools/" + pool + "/backends/a";
        long before = latest();
        admin().post(a + "/drain").then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://ballast.io/problems/unsafe-change"))
                .body("errors.field", hasItem("pools." + pool));
        admin().post(a + "/disable").then().statusCode(409);
        admin().contentType(MERGE_PATCH).body("{\"weight\":0}").patch(a).then().statusCode(409);
        admin().body("{\"host\":\"10.80.0.1\",\"port\":80,\"adminState\":\"draining\"}").put(a).then().statusCode(409);
        admin().delete(a).then().statusCode(409);
        admin().contentType(MERGE_PATCH).body("{\"backends\":[]}").patch("/api/v1/pools/" + pool).then().statusCode(409);
        admin().body("{\"backends\":[]}").put("/api/v1/pools/" + pool).then().statusCode(409);
        assertThat(latest()).isEqualTo(before);

        admin().post(a + "/drain?force=true").then().statusCode(200).body("adminState", equalTo("draining"));
        // Already without an enabled backend: further changes to it are not the rail's business.
        admin().post(a + "/disable").then().statusCode(200);
        // Deleting the whole pool is a deliberate act, not an accident of one backend.
        admin().delete("/api/v1/pools/" + pool).then().statusCode(204);
    }

    @Test
    void aChangeThatKeepsAnEnabledBackendPasses() {
        String pool = poolWithOneEnabledBackend();
        admin().post("/api/v1/pools/" + pool + "/backends/b/enable").then().statusCode(200);
        admin().post("/api/v1/pools/" + pool + "/backends/a/drain").then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"169.254.169.254", "169.254.0.1", "2852039166", "0xA9FEA9FE", "0251.0376.0251.0376", "169.254.43518",
        "::ffff:169.254.169.254", "[::ffff:a9fe:a9fe]", "fe80::1", "metadata.google.internal", "fd00:ec2::254"})
    void linkLocalAndMetadataAddressesAreRefusedHoweverSpelled(String host) {
        String pool = poolWithOneEnabledBackend();
        admin().body("{\"host\":\"" + host + "\",\"port\":80}").post("/api/v1/pools/" + pool + "/backends")
                .then().statusCode(422).body("errors.field", hasItem("host"));
        admin().contentType(MERGE_PATCH).body("{\"host\":\"" + host + "\"}").patch("/api/v1/pools/" + pool + "/backends/b")
                .then().statusCode(422);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "192.168.0.10", "172.16.5.5", "::1", "backend.internal"})
    void loopbackAndPrivateAddressesAreAllowedByDefault(String host) {
        String pool = poolWithOneEnabledBackend();
        admin().body("{\"host\":\"" + host + "\",\"port\":8080}").post("/api/v1/pools/" + pool + "/backends").then().statusCode(201);
    }
}
