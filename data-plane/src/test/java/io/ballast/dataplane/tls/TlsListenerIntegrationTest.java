package io.ballast.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.settings.ListenAddress;
import io.ballast.model.tls.PemChain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data plane's TLS listener ({@link TlsContexts} in the proxy's Netty pipeline), judged by real tools:
 * {@code openssl s_client -servername} shows the certificate chosen for each name, {@code curl --http2}
 * negotiates h2, and a swap of the store is served to the next handshake.
 */
class TlsListenerIntegrationTest {
    private static final TestCertificates.Issued SHOP = TestCertificates.selfSigned("shop.example.com");
    private static final TestCertificates.Issued WILD = TestCertificates.selfSigned("*.example.com");
    private static final TestCertificates.Issued DEFAULT = TestCertificates.selfSigned("fallback.invalid");

    @TempDir
    java.nio.file.Path cacheDir;

    private DataPlane dp;
    private CertificateStore store;
    private int port;

    private static ServerCertificate loaded(String name, TestCertificates.Issued issued) {
        return new ServerCertificate(name, issued.keys().getPrivate(), issued.chain(), PemChain.dnsNames(issued.chain().get(0)));
    }

    @BeforeEach
    void start() throws Exception {
        dp = DataPlane.start(DataPlaneSettings.forTesting("tls-listener", cacheDir),
                new TlsSettings(List.of(new ListenAddress("127.0.0.1", 0)), "TLSv1.2")).await(30, TimeUnit.SECONDS);
        // The store the listener reads at every handshake (a snapshot apply swaps it the same way).
        store = dp.certificates();
        store.swap(ServerCertificates.of(List.of(loaded("shop", SHOP), loaded("wild", WILD), loaded("default", DEFAULT))));
        port = dp.tlsAddresses().get(0).port();
    }

    @AfterEach
    void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
    }

    private String served(String servername) throws Exception {
        List<String> command = servername == null
                ? List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-noservername")
                : List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", servername);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void opensslSeesTheCertificateChosenBySni() throws Exception {
        assertThat(TlsContexts.openSslAvailable()).as("BoringSSL from netty-tcnative loads here: %s",
                String.valueOf(io.netty.handler.ssl.OpenSsl.unavailabilityCause())).isTrue();
        assertThat(served("shop.example.com")).contains("0 s:CN = shop.example.com").contains("TLSv1.3");
        assertThat(served("api.example.com")).contains("0 s:CN = *.example.com");
        assertThat(served("nothing.test")).contains("0 s:CN = fallback.invalid");
        assertThat(served(null)).contains("0 s:CN = fallback.invalid");
    }

    @Test
    void aSwappedStoreIsServedToTheNextHandshake() throws Exception {
        TestCertificates.Issued next = TestCertificates.selfSigned("shop.example.com");
        assertThat(served("shop.example.com")).contains(serialOf(SHOP));
        store.swap(ServerCertificates.of(List.of(loaded("shop", next), loaded("default", DEFAULT))));
        assertThat(served("shop.example.com")).contains(serialOf(next)).doesNotContain(serialOf(SHOP));
    }

    @Test
    void aNameNoCertificateCoversGetsUnrecognizedNameWhenThereIsNoDefault() throws Exception {
        store.swap(ServerCertificates.of(List.of(loaded("shop", SHOP), loaded("wild", WILD))));
        // openssl names the alert it received: "tlsv1 unrecognized name" (alert number 112).
        assertThat(served("nothing.test")).contains("unrecognized name").doesNotContain("BEGIN CERTIFICATE");
        assertThat(served(null)).contains("unrecognized name");
        assertThat(served("a.b.example.com")).contains("unrecognized name");
        // Covered names still work on the same listener.
        assertThat(served("shop.example.com")).contains("0 s:CN = shop.example.com");
        assertThat(served("api.example.com")).contains("0 s:CN = *.example.com");

        // The JDK client sees the same alert by its name.
        javax.net.ssl.SSLContext trustAll = TestClients.trusting(SHOP.chain().get(0), WILD.chain().get(0));
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) trustAll.getSocketFactory().createSocket("127.0.0.1", port)) {
            javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new javax.net.ssl.SNIHostName("nothing.test")));
            socket.setSSLParameters(parameters);
            org.assertj.core.api.Assertions.assertThatThrownBy(socket::startHandshake)
                    .isInstanceOf(javax.net.ssl.SSLHandshakeException.class)
                    .hasMessageContaining("unrecognized_name");
        }
    }

    private static String serialOf(TestCertificates.Issued issued) {
        // s_client prints the leaf in PEM: its first base64 line identifies it.
        return PemChain.toPem(issued.chain().get(0)).split("\n")[1];
    }

    @Test
    void curlNegotiatesHttp2OverTls() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("curl", "-sk", "--http2", "-w", " %{http_version}", "--resolve",
                "shop.example.com:" + port + ":127.0.0.1",
                "https://shop.example.com:" + port + "/").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        // No config is loaded, so the data plane itself answers (503); what matters here is the protocol.
        assertThat(out).endsWith(" 2");
    }
}
