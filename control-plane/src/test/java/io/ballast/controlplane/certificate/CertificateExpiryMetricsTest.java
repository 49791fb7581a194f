package io.ballast.controlplane.certificate;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code ballast_certificate_expiry_timestamp_seconds{name}} on the control plane's {@code /q/metrics}. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class CertificateExpiryMetricsTest {
    private static Double expiry(String name) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^ballast_certificate_expiry_timestamp_seconds\\{[^}]*name=\"" + Pattern.quote(name)
                + "\"[^}]*} (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : null;
    }

    @Test
    void eachCertificateHasItsLeafsExpiryAndLosesItWhenDeleted() {
        String name = unique("expiry");
        TestCertificates.Issued issued = TestCertificates.issuedByCa(name + ".example.com");
        admin().body(Map.of("name", name, "certificate", issued.chainPem(), "privateKey", issued.pkcs8()))
                .post("/api/v1/certificates").then().statusCode(201);
        long notAfter = issued.chain().get(0).getNotAfter().toInstant().getEpochSecond();
        assertThat(expiry(name)).isEqualTo((double) notAfter);

        TestCertificates.Issued renewed = TestCertificates.selfSigned(TestCertificates.ec(), java.time.Instant.now().minusSeconds(60),
                java.time.Instant.now().plus(java.time.Duration.ofDays(200)), name + ".example.com");
        String etag = admin().get("/api/v1/certificates/" + name).then().statusCode(200).extract().header("ETag");
        admin().header("If-Match", etag).body(Map.of("name", name, "certificate", renewed.chainPem(), "privateKey", renewed.pkcs8()))
                .put("/api/v1/certificates/" + name).then().statusCode(200);
        assertThat(renewed.chain().get(0).getNotAfter().toInstant().getEpochSecond()).isNotEqualTo(notAfter);
        assertThat(expiry(name)).isEqualTo((double) renewed.chain().get(0).getNotAfter().toInstant().getEpochSecond());

        admin().delete("/api/v1/certificates/" + name).then().statusCode(204);
        assertThat(expiry(name)).isNull();
    }
}
