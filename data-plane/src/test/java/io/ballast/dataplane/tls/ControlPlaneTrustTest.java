package io.ballast.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ballast.model.tls.PemChain;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BALLAST_CP_CA / BALLAST_CP_PIN: what is accepted at start, and what the pin lets through. */
class ControlPlaneTrustTest {
    private static final List<URI> HTTPS = List.of(URI.create("https://cp.example.com:9443"));
    private static final List<URI> HTTP = List.of(URI.create("http://127.0.0.1:9000"));

    @TempDir
    Path dir;

    @Test
    void anHttpsUrlWithoutCaOrPinIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> ControlPlaneTrust.fromValues(Map.of(), HTTPS))
                .hasMessageContaining("https://").hasMessageContaining("BALLAST_CP_CA").hasMessageContaining("BALLAST_CP_PIN");
        assertThat(ControlPlaneTrust.fromValues(Map.of(), HTTP)).isEqualTo(ControlPlaneTrust.NONE);
    }

    @Test
    void badPinsAndCaFilesAreRefused() throws Exception {
        assertThatThrownBy(() -> ControlPlaneTrust.fromValues(Map.of("BALLAST_CP_PIN", "abc"), HTTPS)).hasMessageContaining("sha256:<64 hex digits>");
        assertThatThrownBy(() -> ControlPlaneTrust.fromValues(Map.of("BALLAST_CP_PIN", "sha256:" + "0".repeat(63)), HTTPS))
                .hasMessageContaining("--cp-pin");
        Path garbage = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        assertThatThrownBy(() -> ControlPlaneTrust.fromValues(Map.of("BALLAST_CP_CA", garbage.toString()), HTTPS)).hasMessageContaining("--cp-ca");
        assertThatThrownBy(() -> ControlPlaneTrust.fromValues(Map.of("BALLAST_CP_CA", garbage.toString(), "BALLAST_CP_PIN", "sha256:" + "0".repeat(64)), HTTPS))
                .hasMessageContaining("not both");
    }

    @Test
    void thePinAcceptsExactlyThePinnedCertificate() throws Exception {
        TestCertificates.Issued cp = TestCertificates.selfSigned("localhost");
        TestCertificates.Issued other = TestCertificates.selfSigned("localhost");
        ControlPlaneTrust trust = ControlPlaneTrust.fromValues(Map.of("BALLAST_CP_PIN", "SHA256:" + cp.fingerprint().toUpperCase()), HTTPS);
        assertThat(trust.pinSha256()).isEqualTo(cp.fingerprint());
        ControlPlaneTrust.PinnedTrustManager pinned = new ControlPlaneTrust.PinnedTrustManager(trust.pinSha256());
        pinned.checkServerTrusted(cp.chain().toArray(new X509Certificate[0]), "ECDHE_ECDSA");
        assertThatThrownBy(() -> pinned.checkServerTrusted(other.chain().toArray(new X509Certificate[0]), "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class).hasMessageContaining("is not the pinned");

        Path ca = Files.writeString(dir.resolve("cp.pem"), PemChain.toPem(cp.chain().get(0)));
        assertThat(ControlPlaneTrust.fromValues(Map.of("BALLAST_CP_CA", ca.toString()), HTTPS).ca()).isEqualTo(ca);
    }

    @Test
    void aWebSocketClientCanBeMadeWithEitherTrust() throws Exception {
        TestCertificates.Issued cp = TestCertificates.selfSigned("localhost");
        Path ca = Files.writeString(dir.resolve("cp.pem"), PemChain.toPem(cp.chain().get(0)));
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            for (ControlPlaneTrust trust : List.of(ControlPlaneTrust.fromValues(Map.of("BALLAST_CP_PIN", "sha256:" + cp.fingerprint()), HTTPS),
                    ControlPlaneTrust.fromValues(Map.of("BALLAST_CP_CA", ca.toString()), HTTPS))) {
                vertx.createWebSocketClient(trust.configure(new io.vertx.core.http.WebSocketClientOptions())).close();
            }
        } finally {
            vertx.close().await(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
