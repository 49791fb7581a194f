package io.ballast.controlplane.certificate;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.ballast.model.tls.PemChain;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pool field {@code tls}: stored, answered, exported, and its certificate references checked. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class PoolTlsApiTest {
    @Test
    void aPoolWithBackendTlsNamesATrustBundleThatMustExist() {
        String ca = unique("backend-ca");
        TestCertificates.Issued issued = TestCertificates.issuedByCa("backend.example.com");
        admin().body(Map.of("name", ca, "certificate", PemChain.toPem(issued.chain().get(1))))
                .post("/api/v1/certificates").then().log().ifValidationFails().statusCode(201);

        String pool = unique("secure");
        JsonPath created = admin().body(Map.of("name", pool, "tls", Map.of("enabled", true, "sni", "backend.example.com", "caCertificate", ca)))
                .post("/api/v1/pools").then().log().ifValidationFails().statusCode(201).extract().jsonPath();
        assertThat(created.getBoolean("tls.enabled")).isTrue();
        assertThat(created.getBoolean("tls.verify")).as("verify defaults to true").isTrue();
        assertThat(created.getString("tls.caCertificate")).isEqualTo(ca);
        assertThat(admin().get("/api/v1/pools/" + pool).then().statusCode(200).extract().jsonPath().getString("tls.sni"))
                .isEqualTo("backend.example.com");
        assertThat(admin().header("Accept", "application/yaml").get("/api/v1/config").then().statusCode(200).extract().asString())
                .containsPattern("caCertificate: \"?" + ca).containsPattern("sni: \"?backend.example.com");

        // A pool without tls has none in its answer (nothing changes for pools that do not use it).
        String plain = unique("plain");
        assertThat(admin().body(Map.of("name", plain)).post("/api/v1/pools").then().statusCode(201).extract().asString())
                .doesNotContain("\"tls\"");

        assertThat(admin().body(Map.of("name", unique("broken"), "tls", Map.of("enabled", true, "caCertificate", "no-such-bundle")))
                .post("/api/v1/pools").then().statusCode(422).extract().asString()).contains("caCertificate").contains("no-such-bundle");
        String refused = admin().body(Map.of("name", unique("bad-sni"), "tls", Map.of("enabled", true, "sni", "not a name!")))
                .post("/api/v1/pools").then().statusCode(422).extract().asString();
        assertThat(refused).contains("tls.sni");
        // The trust bundle cannot be deleted while a pool uses it.
        String answer = admin().delete("/api/v1/certificates/" + ca).then().extract().asString();
        assertThat(answer).contains("caCertificate");
        admin().get("/api/v1/certificates/" + ca).then().statusCode(200);
    }
}
