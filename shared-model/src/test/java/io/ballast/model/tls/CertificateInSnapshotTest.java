package io.ballast.model.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ballast.model.Certificate;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.json.BallastJson;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.snapshot.SnapshotDiff;
import io.ballast.model.snapshot.SnapshotValidator;
import io.ballast.wire.v1.SnapshotPush;
import io.ballast.wire.v1.WireCodec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CertificateInSnapshotTest {
    private static final TestCertificates.Issued SHOP = TestCertificates.selfSigned("shop.example.com", "*.shop.example.com");

    @Test
    void thePrivateKeyIsReadButNeverWrittenByAnyMapper() throws Exception {
        String key = SHOP.pkcs8();
        String body = BallastJson.strict().writeValueAsString(Map.of("name", "shop", "certificate", SHOP.chainPem(), "privateKey", key));
        Certificate read = BallastJson.strict().readValue(body, Certificate.class);
        assertThat(read.privateKey()).isEqualTo(key);
        assertThat(read.hasPrivateKey()).isTrue();
        ConfigSnapshot snapshot = new ConfigSnapshot(List.of(), List.of(), List.of(read));
        for (ObjectMapper mapper : List.of(BallastJson.strict(), BallastJson.lenient(), BallastJson.canonical(), BallastJson.yaml())) {
            String written = mapper.writeValueAsString(snapshot);
            assertThat(written).doesNotContain("PRIVATE KEY").doesNotContain("privateKey").contains("hasPrivateKey");
        }
        assertThat(snapshot.canonicalJson()).doesNotContain("PRIVATE KEY");
        assertThat(read.toString()).doesNotContain("PRIVATE KEY").contains("redacted");
        assertThat(snapshot.canonical().certificates().get(0).privateKey()).isNull();
    }

    @Test
    void aConfigWithoutCertificatesHashesAsBeforeCertificatesExisted() {
        ConfigSnapshot plain = new ConfigSnapshot(List.of(Pool.named("web")), List.of(Route.of("site", "web")));
        assertThat(plain.canonicalJson()).doesNotContain("certificates");
        ConfigSnapshot withOne = plain.withCertificates(List.of(new Certificate("shop", SHOP.chainPem(), null, null)));
        assertThat(withOne.canonicalJson()).contains("\"certificates\"");
        assertThat(ConfigSnapshot.fromJson(withOne.canonicalJson()).hash()).isEqualTo(withOne.hash());
    }

    @Test
    void keysTravelBesideTheConfigOnTheWireAndAreNotPrinted() {
        ConfigSnapshot config = new ConfigSnapshot(List.of(), List.of(), List.of(new Certificate("shop", SHOP.chainPem(), true, null)));
        SnapshotPush push = new SnapshotPush(3, config.hash(), config, Map.of("shop", SHOP.pkcs8()));
        SnapshotPush decoded = (SnapshotPush) WireCodec.decode(WireCodec.encode(push));
        assertThat(decoded.privateKeys()).containsEntry("shop", SHOP.pkcs8());
        assertThat(decoded.config().hash()).isEqualTo(push.hash());
        assertThat(push.toString()).doesNotContain("PRIVATE KEY");
        assertThat(WireCodec.encode(new SnapshotPush(1, "h", ConfigSnapshot.EMPTY))).doesNotContain("privateKeys");
    }

    @Test
    void diffsShowTheFingerprintNotThePem() {
        TestCertificates.Issued next = TestCertificates.selfSigned("shop.example.com");
        ConfigSnapshot before = ConfigSnapshot.EMPTY.withCertificates(List.of(new Certificate("shop", SHOP.chainPem(), true, null)));
        ConfigSnapshot after = ConfigSnapshot.EMPTY.withCertificates(List.of(new Certificate("shop", next.chainPem(), true, null)));
        SnapshotDiff diff = SnapshotDiff.between(before, after);
        assertThat(diff.changes()).singleElement().satisfies(c -> {
            assertThat(c.type()).isEqualTo("certificate");
            assertThat(c.change()).isEqualTo(SnapshotDiff.Kind.updated);
            assertThat(c.fields()).singleElement().satisfies(f -> {
                assertThat(f.field()).isEqualTo("fingerprintSha256");
                assertThat(f.before().asText()).isEqualTo(SHOP.fingerprint());
                assertThat(f.after().asText()).isEqualTo(next.fingerprint());
            });
        });
        assertThat(SnapshotDiff.between(before, before).isEmpty()).isTrue();
    }

    @Test
    void theValidatorRefusesBadNamesGarbageAndDuplicates() {
        ConfigSnapshot bad = ConfigSnapshot.EMPTY.withCertificates(List.of(
                new Certificate("Bad Name", SHOP.chainPem(), null, null),
                new Certificate("garbage", "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n", null, null),
                new Certificate("dup", SHOP.chainPem(), null, null),
                new Certificate("dup", SHOP.chainPem(), null, null)));
        assertThat(SnapshotValidator.withDefaults().validate(bad)).extracting(v -> v.field())
                .containsExactly("certificates[0].name", "certificates[1].certificate", "certificates[3].name");
    }

    @Test
    void pemChainsParseLeafFirstWithTheirNames() {
        TestCertificates.Issued chain = TestCertificates.issuedByCa("api.example.com");
        var parsed = PemChain.parse("some text before\n" + chain.chainPem());
        assertThat(parsed).hasSize(2);
        assertThat(PemChain.dnsNames(parsed.get(0))).containsExactly("api.example.com");
        assertThat(PemChain.fingerprint(parsed.get(0))).isEqualTo(chain.fingerprint());
        assertThatThrownBy(() -> PemChain.parse("hello")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PemChain.parse(chain.pkcs8())).hasMessageContaining("PRIVATE KEY");
    }
}
