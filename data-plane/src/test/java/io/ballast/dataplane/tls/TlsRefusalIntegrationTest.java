package io.ballast.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.settings.ListenAddress;
import io.ballast.model.tls.PemChain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP/1 refusals over TLS: a client still sending a too-large head reads its 431 problem and the connection
 * ends. The lingering close takes its TLS branch here (no TCP half-close under TLS: a FIN without close_notify
 * would look like a truncation), which must not break the TLS stream the answer travels on.
 */
class TlsRefusalIntegrationTest {
    private static final TestCertificates.Issued DEFAULT = TestCertificates.selfSigned("fallback.invalid");

    @TempDir
    java.nio.file.Path cacheDir;

    private DataPlane dp;
    private int port;

    @BeforeEach
    void start() throws Exception {
        dp = DataPlane.start(DataPlaneSettings.forTesting("tls-refusal", cacheDir),
                new TlsSettings(List.of(new ListenAddress("127.0.0.1", 0)), "TLSv1.2")).await(30, TimeUnit.SECONDS);
        dp.certificates().swap(ServerCertificates.of(List.of(new ServerCertificate("default", DEFAULT.keys().getPrivate(), DEFAULT.chain(),
                PemChain.dnsNames(DEFAULT.chain().get(0))))));
        port = dp.tlsAddresses().get(0).port();
    }

    @AfterEach
    void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
    }

    @Test
    void a431OverTlsReachesAClientThatKeepsSending() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // The test trusts its own self-signed certificate.
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        String answer;
        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /c HTTP/1.1\r\nHost: example.test\r\nX-Big: " + "b".repeat(40 * 1024)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300);
            for (int i = 0; i < 8; i++) {
                out.write("c".repeat(8 * 1024).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(30);
            }
            answer = readUntilClosed(s.getInputStream());
        }
        assertThat(answer).startsWith("HTTP/1.1 431 ").contains("application/problem+json").containsIgnoringCase("connection: close");
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
                if (got.toString(StandardCharsets.ISO_8859_1).contains("}")) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            // what arrived is the answer
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }
}
