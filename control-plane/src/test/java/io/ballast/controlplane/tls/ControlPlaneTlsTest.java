package io.ballast.controlplane.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ballast.model.tls.PemChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which certificate the control plane's HTTPS port gets, and that a generated one is made once and kept. */
class ControlPlaneTlsTest {
    @TempDir
    Path dataDir;

    @Test
    void httpsIsOnByDefaultAndOffOnlyWhenNothingElseAsksForIt() {
        assertThat(ControlPlaneTls.fromEnvironment(Map.of(), dataDir)).get().extracting(ControlPlaneTls::generated).isEqualTo(true);
        Path other = dataDir.resolve("off");
        assertThat(ControlPlaneTls.fromEnvironment(Map.of("BALLAST_HTTPS", "off"), other)).isEmpty();
        assertThat(Files.exists(other.resolve(ControlPlaneTls.CERT_FILE))).as("nothing generated when off").isFalse();
        assertThatThrownBy(() -> ControlPlaneTls.fromEnvironment(Map.of("BALLAST_HTTPS", "off", "QUARKUS_HTTP_SSL_PORT", "9443"), other))
                .hasMessageContaining("QUARKUS_HTTP_SSL_PORT");
        assertThatThrownBy(() -> ControlPlaneTls.fromEnvironment(Map.of("BALLAST_HTTPS", "off", "BALLAST_DP_CLIENT_CA", "/ca.pem"), other))
                .hasMessageContaining("BALLAST_DP_CLIENT_CA");
        assertThatThrownBy(() -> ControlPlaneTls.fromEnvironment(Map.of("BALLAST_HTTPS", "maybe"), other)).hasMessageContaining("on or off");
    }

    @Test
    void aClientCaMustBeAReadablePemCertificate() throws Exception {
        assertThat(DataPlaneClientCa.fromEnvironment(Map.of())).isEmpty();
        ControlPlaneTls generated = ControlPlaneTls.fromEnvironment(Map.of(), dataDir).orElseThrow();
        assertThat(DataPlaneClientCa.fromEnvironment(Map.of("BALLAST_DP_CLIENT_CA", generated.certificate().toString())))
                .get().extracting(DataPlaneClientCa::file).isEqualTo(generated.certificate());
        assertThatThrownBy(() -> DataPlaneClientCa.fromEnvironment(Map.of("BALLAST_DP_CLIENT_CA", generated.key().toString())))
                .hasMessageContaining("BALLAST_DP_CLIENT_CA");
        assertThatThrownBy(() -> DataPlaneClientCa.fromEnvironment(Map.of("BALLAST_DP_CLIENT_CA", "/nowhere.pem")))
                .hasMessageContaining("not a readable PEM certificate");
    }

    @Test
    void aGeneratedCertificateIsMadeOnceWithAPrivateKeyFileAndKept() throws Exception {
        ControlPlaneTls first = ControlPlaneTls.fromEnvironment(Map.of("QUARKUS_HTTP_SSL_PORT", "9443"), dataDir).orElseThrow();
        assertThat(first.generated()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.key()))).isEqualTo("rw-------");
        assertThat(Files.readString(first.key())).contains("BEGIN PRIVATE KEY");
        var leaf = PemChain.parse(Files.readString(first.certificate())).get(0);
        assertThat(PemChain.fingerprint(leaf)).isEqualTo(first.fingerprintSha256());
        assertThat(PemChain.dnsNames(leaf)).contains("localhost");

        ControlPlaneTls again = ControlPlaneTls.fromEnvironment(Map.of("QUARKUS_HTTP_SSL_PORT", "9443"), dataDir).orElseThrow();
        assertThat(again.fingerprintSha256()).as("the pin stays valid across restarts").isEqualTo(first.fingerprintSha256());
    }

    @Test
    void aGivenCertificateIsUsedAndHalfAPairIsRefused() throws Exception {
        ControlPlaneTls generated = ControlPlaneTls.fromEnvironment(Map.of("QUARKUS_HTTP_SSL_PORT", "1"), dataDir.resolve("other")).orElseThrow();
        ControlPlaneTls given = ControlPlaneTls.fromEnvironment(Map.of("BALLAST_TLS_CERT", generated.certificate().toString(),
                "BALLAST_TLS_KEY", generated.key().toString()), dataDir).orElseThrow();
        assertThat(given.generated()).isFalse();
        assertThat(given.fingerprintSha256()).isEqualTo(generated.fingerprintSha256());
        assertThatThrownBy(() -> ControlPlaneTls.fromEnvironment(Map.of("BALLAST_TLS_CERT", generated.certificate().toString()), dataDir))
                .hasMessageContaining("BALLAST_TLS_KEY");
        assertThatThrownBy(() -> ControlPlaneTls.fromEnvironment(Map.of("BALLAST_TLS_CERT", "/nowhere.pem", "BALLAST_TLS_KEY", "/k.pem"), dataDir))
                .hasMessageContaining("BALLAST_TLS_CERT");
    }

    @Test
    void theHttpsServerAsksForClientCertificatesOnlyWithAClientCa() {
        io.vertx.core.http.HttpServerOptions plain = new io.vertx.core.http.HttpServerOptions();
        new DataPlaneClientAuthentication(java.util.Optional.empty()).customizeHttpsServer(plain);
        assertThat(plain.getClientAuth()).isEqualTo(io.vertx.core.http.ClientAuth.NONE);
        io.vertx.core.http.HttpServerOptions mutual = new io.vertx.core.http.HttpServerOptions();
        new DataPlaneClientAuthentication(java.util.Optional.of("/etc/ballast/dp-ca.pem")).customizeHttpsServer(mutual);
        assertThat(mutual.getClientAuth()).as("asks; the data-plane socket requires").isEqualTo(io.vertx.core.http.ClientAuth.REQUEST);
        assertThat(((io.vertx.core.net.PemTrustOptions) mutual.getTrustOptions()).getCertPaths()).containsExactly("/etc/ballast/dp-ca.pem");
    }
}
