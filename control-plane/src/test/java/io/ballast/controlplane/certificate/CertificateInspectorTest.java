package io.ballast.controlplane.certificate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.model.Certificate;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The checks without a server: every key encoding parses and matches its leaf. */
class CertificateInspectorTest {
    @Test
    void pkcs8Pkcs1AndSec1KeysAreReadAndComeOutAsPkcs8() {
        TestCertificates.Issued ec = TestCertificates.selfSigned("ec.example.com");
        TestCertificates.Issued rsa = TestCertificates.selfSigned(TestCertificates.rsa(2048), Instant.now().minusSeconds(60),
                Instant.now().plusSeconds(86_400 * 60), "rsa.example.com");
        for (var c : java.util.List.of(
                new Certificate("ec", ec.chainPem(), null, ec.pkcs8()),
                new Certificate("sec1", ec.chainPem(), null, ec.traditional()),
                new Certificate("pkcs1", rsa.chainPem(), null, rsa.traditional()))) {
            CertificateInspector.Inspected checked = CertificateInspector.inspect(c, null, "", Instant.now());
            assertThat(checked.pkcs8()).startsWith("-----BEGIN PRIVATE KEY-----");
            assertThat(CertificateInspector.parseKey(checked.pkcs8()).getEncoded())
                    .isEqualTo(CertificateInspector.parseKey(c.privateKey()).getEncoded());
        }
    }
}
