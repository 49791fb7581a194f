package io.ballast.controlplane.certificate;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class CertificateApiTest {
    private static final String API = "/api/v1/certificates";

    @Inject
    EntityManager em;

    private final List<String> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (logged) {
                logged.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        java.util.logging.Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void noKeyWasLogged() {
        java.util.logging.Logger.getLogger("").removeHandler(capture);
        synchronized (logged) {
            assertThat(logged).noneMatch(line -> line.contains("PRIVATE KEY"));
        }
    }

    private static Map<String, Object> body(String name, String chain, String key) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("certificate", chain);
        if (key != null) {
            body.put("privateKey", key);
        }
        return body;
    }

    private static Response create(Map<String, Object> body) {
        return admin().body(body).post(API);
    }

    @Test
    void aCertificateIsDescribedAndItsKeyAppearsNowhere() {
        String name = unique("shop");
        TestCertificates.Issued shop = TestCertificates.issuedByCa(name + ".example.com", "*." + name + ".example.com");
        JsonPath created = create(body(name, shop.chainPem(), shop.pkcs8())).then().statusCode(201).extract().jsonPath();
        assertThat(created.getList("hosts")).containsExactly(name + ".example.com", "*." + name + ".example.com");
        assertThat(created.getString("fingerprintSha256")).isEqualTo(shop.fingerprint());
        assertThat(created.getString("keyType")).isEqualTo("EC P-256");
        assertThat(created.getBoolean("hasPrivateKey")).isTrue();
        assertThat(created.getInt("chainLength")).isEqualTo(2);
        assertThat(created.getString("issuer")).isEqualTo("CN=Ballast Test CA");
        assertThat(created.getString("subject")).isEqualTo("CN=" + name + ".example.com");
        assertThat(created.getList("warnings")).isEmpty();
        assertThat(Instant.parse(created.getString("notAfter"))).isAfter(Instant.now().plus(Duration.ofDays(80)));

        List<String> answers = new ArrayList<>();
        answers.add(admin().get(API + "/" + name).then().statusCode(200).extract().asString());
        answers.add(admin().get(API).then().statusCode(200).extract().asString());
        answers.add(admin().get("/api/v1/config").then().statusCode(200).extract().asString());
        answers.add(admin().header("Accept", "application/yaml").get("/api/v1/config").then().statusCode(200).extract().asString());
        JsonPath revisions = admin().get("/api/v1/revisions?limit=1").then().statusCode(200).extract().jsonPath();
        long revision = revisions.getLong("items[0].number");
        answers.add(admin().get("/api/v1/revisions/" + revision).then().statusCode(200).extract().asString());
        String diff = admin().get("/api/v1/revisions/" + revision + "/diff?against=" + (revision - 1)).then().statusCode(200).extract().asString();
        answers.add(diff);
        answers.add(admin().get("/").then().extract().asString());
        for (String answer : answers) {
            assertThat(answer).doesNotContain("PRIVATE KEY").doesNotContain(base64Body(shop.pkcs8()).substring(0, 40));
        }
        assertThat(answers.get(2)).contains("\"hasPrivateKey\" : true");
        assertThat(diff).contains(shop.fingerprint()).contains("\"certificate\"");
        // At rest: sealed, so neither the PEM nor the DER of the key is in the row.
        byte[] sealed = sealedKey(shop.fingerprint());
        assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("PRIVATE KEY")
                .doesNotContain(new String(shop.keys().getPrivate().getEncoded(), java.nio.charset.StandardCharsets.ISO_8859_1).substring(0, 24));
    }

    private static String base64Body(String pem) {
        return pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    }

    @Transactional
    byte[] sealedKey(String fingerprint) {
        return (byte[]) em.createNativeQuery("SELECT sealed FROM certificate_keys WHERE fingerprint = ?1")
                .setParameter(1, fingerprint).getSingleResult();
    }

    @Test
    void keysInPkcs1AndSec1AreAcceptedAndATrustBundleHasNoKey() {
        TestCertificates.Issued rsa = TestCertificates.selfSigned(TestCertificates.rsa(2048), Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(200)), "rsa.example.com");
        assertThat(rsa.traditional()).contains("BEGIN RSA PRIVATE KEY");
        create(body(unique("rsa"), rsa.chainPem(), rsa.traditional())).then().statusCode(201)
                .body("keyType", org.hamcrest.Matchers.equalTo("RSA 2048"));
        TestCertificates.Issued ec = TestCertificates.selfSigned("sec1.example.com");
        assertThat(ec.traditional()).contains("BEGIN EC PRIVATE KEY");
        create(body(unique("sec1"), ec.chainPem(), ec.traditional())).then().log().ifValidationFails().statusCode(201);
        TestCertificates.Issued ca = TestCertificates.selfSigned("ca.example.com");
        create(body(unique("bundle"), ca.chainPem(), null)).then().statusCode(201)
                .body("hasPrivateKey", org.hamcrest.Matchers.equalTo(false));
    }

    @Test
    void badCertificatesAre422sNamingTheFieldAndChangeNothing() {
        String before = admin().get("/api/v1/config").then().extract().asString();
        TestCertificates.Issued good = TestCertificates.issuedByCa("bad.example.com");
        TestCertificates.Issued other = TestCertificates.selfSigned("other.example.com");
        KeyPair keys = TestCertificates.ec();
        TestCertificates.Issued expired = TestCertificates.selfSigned(keys, Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(1)), "old.example.com");
        KeyPair weak = TestCertificates.rsa(1024);
        TestCertificates.Issued weakCert = TestCertificates.selfSigned(weak, Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(90)), "weak.example.com");
        String reversed = TestCertificates.pkcs8(good.keys().getPrivate());
        String outOfOrder = io.ballast.model.tls.PemChain.toPem(good.chain().get(1)) + io.ballast.model.tls.PemChain.toPem(good.chain().get(0));

        expect422(body(unique("bad"), good.chainPem(), other.pkcs8()), "privateKey", "does not match");
        expect422(body(unique("bad"), expired.chainPem(), expired.pkcs8()), "certificate", "expired");
        expect422(body(unique("bad"), outOfOrder, reversed), "certificate", "out of order");
        expect422(body(unique("bad"), weakCert.chainPem(), weakCert.pkcs8()), "certificate", "weak key");
        expect422(body(unique("bad"), "-----BEGIN CERTIFICATE-----\nZ2FyYmFnZQ==\n-----END CERTIFICATE-----\n", null),
                "certificate", "not a PEM certificate chain");
        expect422(body(unique("bad"), "hello", null), "certificate", "not a PEM certificate chain");
        expect422(body(unique("bad"), good.chainPem(), "-----BEGIN PRIVATE KEY-----\nZ2FyYmFnZQ==\n-----END PRIVATE KEY-----\n"),
                "privateKey", "PEM private key");
        expect422(body(unique("bad"), good.chainPem(), "not a key at all"), "privateKey", "PEM private key");
        Map<String, Object> claims = body(unique("bad"), other.chainPem(), null);
        claims.put("hasPrivateKey", true);
        expect422(claims, "privateKey", "is required");
        expect422(body("Not A Slug", good.chainPem(), good.pkcs8()), "name", "slug");
        assertThat(admin().get("/api/v1/config").then().extract().asString()).isEqualTo(before);
    }

    private static void expect422(Map<String, Object> body, String field, String message) {
        Response answer = create(body);
        answer.then().statusCode(422);
        JsonPath json = answer.jsonPath();
        assertThat(json.getList("errors.field")).as(answer.asString()).contains(field);
        assertThat(json.getList("errors.message", String.class)).as(answer.asString()).anyMatch(m -> m.contains(message));
        assertThat(answer.asString()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void aLeafExpiringWithin30DaysIsAcceptedWithAWarning() {
        KeyPair keys = TestCertificates.ec();
        TestCertificates.Issued soon = TestCertificates.selfSigned(keys, Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(10)), "soon.example.com");
        create(body(unique("soon"), soon.chainPem(), soon.pkcs8())).then().statusCode(201)
                .body("warnings[0]", org.hamcrest.Matchers.containsString("expires in"));
    }

    @Test
    void rotationIsARevisionDiffedByFingerprintAndRollbackRestoresTheOldKeyedCertificate() {
        String name = unique("rot");
        TestCertificates.Issued first = TestCertificates.selfSigned(name + ".example.com");
        TestCertificates.Issued second = TestCertificates.selfSigned(name + ".example.com");
        create(body(name, first.chainPem(), first.pkcs8())).then().statusCode(201);
        long firstRevision = latestRevision();
        String etag = admin().get(API + "/" + name).then().statusCode(200).extract().header("ETag");
        admin().header("If-Match", etag).body(body(name, second.chainPem(), second.pkcs8())).put(API + "/" + name)
                .then().statusCode(200).body("fingerprintSha256", org.hamcrest.Matchers.equalTo(second.fingerprint()));
        admin().header("If-Match", etag).body(body(name, first.chainPem(), first.pkcs8())).put(API + "/" + name).then().statusCode(412);
        long secondRevision = latestRevision();
        JsonPath diff = admin().get("/api/v1/revisions/" + secondRevision + "/diff?against=" + firstRevision).then().statusCode(200)
                .extract().jsonPath();
        assertThat(diff.getList("changes.type")).containsExactly("certificate");
        assertThat(diff.getString("changes[0].fields[0].field")).isEqualTo("fingerprintSha256");
        assertThat(diff.getString("changes[0].fields[0].before")).isEqualTo(first.fingerprint());
        assertThat(diff.getString("changes[0].fields[0].after")).isEqualTo(second.fingerprint());

        admin().post("/api/v1/revisions/" + firstRevision + "/rollback").then().statusCode(200);
        admin().get(API + "/" + name).then().statusCode(200)
                .body("fingerprintSha256", org.hamcrest.Matchers.equalTo(first.fingerprint()))
                .body("hasPrivateKey", org.hamcrest.Matchers.equalTo(true));
        admin().delete(API + "/" + name).then().statusCode(204);
        admin().get(API + "/" + name).then().statusCode(404);
    }

    @Test
    void theDeclarativeFileRoundTripsWithoutKeysAndTakesAKeyOnInput() {
        String exported = admin().get("/api/v1/config").then().statusCode(200).extract().asString();
        long before = latestRevision();
        admin().body(exported).put("/api/v1/config").then().statusCode(200);
        assertThat(latestRevision()).isEqualTo(before);

        String name = unique("file");
        TestCertificates.Issued cert = TestCertificates.selfSigned(name + ".example.com");
        Map<String, Object> file = Map.of("certificates", List.of(body(name, cert.chainPem(), cert.pkcs8())));
        admin().body(file).put("/api/v1/config").then().statusCode(200);
        admin().get(API + "/" + name).then().statusCode(200).body("hasPrivateKey", org.hamcrest.Matchers.equalTo(true));

        TestCertificates.Issued unknown = TestCertificates.selfSigned("unknown.example.com");
        Map<String, Object> claims = body(unique("file"), unknown.chainPem(), null);
        claims.put("hasPrivateKey", true);
        Response refused = admin().body(Map.of("certificates", List.of(claims))).put("/api/v1/config");
        refused.then().statusCode(422);
        assertThat(refused.jsonPath().getList("errors.field")).contains("certificates[0].privateKey");
    }

    private static long latestRevision() {
        return admin().get("/api/v1/revisions?limit=1").then().statusCode(200).extract().jsonPath().getLong("items[0].number");
    }
}
