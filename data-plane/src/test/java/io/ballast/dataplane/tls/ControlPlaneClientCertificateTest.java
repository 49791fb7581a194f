package io.ballast.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ballast.model.tls.PemChain;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS toward the control plane (BALLAST_CP_CLIENT_CERT / BALLAST_CP_CLIENT_KEY): what is accepted at start, and
 * that the WebSocket client made from the settings presents the certificate in a real TLS handshake to a server that
 * requires one issued by its CA (the control plane's own check is in e2e {@code ControlPlaneTlsEndToEndTest}).
 */
class ControlPlaneClientCertificateTest {
    private static final List<URI> HTTPS = List.of(URI.create("https://127.0.0.1:9443"));

    @TempDir
    Path dir;

    private Vertx vertx;
    private HttpServer server;
    private TestCertificates.Issued serverCertificate;

    @BeforeEach
    void startAServerThatRequiresClientCertificatesOfItsCa() throws Exception {
        vertx = Vertx.vertx();
        TestCertificates.Issued trusted = TestCertificates.issuedByCa("node-1");
        Files.writeString(dir.resolve("client-ca.pem"), PemChain.toPem(trusted.chain().get(1)));
        Files.writeString(dir.resolve("client.pem"), trusted.chainPem());
        Files.writeString(dir.resolve("client.key"), trusted.traditional());
        TestCertificates.Issued other = TestCertificates.issuedByCa("node-1");
        Files.writeString(dir.resolve("other.pem"), other.chainPem());
        Files.writeString(dir.resolve("other.key"), other.pkcs8());
        serverCertificate = TestCertificates.selfSigned("localhost");
        server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setClientAuth(ClientAuth.REQUIRED)
                        .setKeyCertOptions(new PemKeyCertOptions().addCertValue(Buffer.buffer(serverCertificate.chainPem()))
                                .addKeyValue(Buffer.buffer(serverCertificate.pkcs8())))
                        .setTrustOptions(new PemTrustOptions().addCertPath(dir.resolve("client-ca.pem").toString())))
                .webSocketHandler(socket -> socket.textMessageHandler(text -> {
                    try {
                        socket.writeTextMessage(text + " " + socket.sslSession().getPeerPrincipal().getName());
                    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                        socket.close();
                    }
                }))
                .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private Map<String, String> settings(String cert, String key) {
        Map<String, String> values = new HashMap<>(Map.of("BALLAST_CP_PIN", "sha256:" + serverCertificate.fingerprint()));
        if (cert != null) {
            values.put("BALLAST_CP_CLIENT_CERT", dir.resolve(cert).toString());
            values.put("BALLAST_CP_CLIENT_KEY", dir.resolve(key).toString());
        }
        return values;
    }

    private String connect(ControlPlaneTrust trust) throws Exception {
        WebSocketClient client = vertx.createWebSocketClient(trust.configure(new WebSocketClientOptions()));
        WebSocket socket = client.connect(new WebSocketConnectOptions()
                .setAbsoluteURI("wss://127.0.0.1:" + server.actualPort() + "/api/v1/dataplanes/connect")).await(10, TimeUnit.SECONDS);
        java.util.concurrent.CompletableFuture<String> first = new java.util.concurrent.CompletableFuture<>();
        socket.textMessageHandler(first::complete);
        // The server answers what it is sent with the client's certificate subject.
        socket.writeTextMessage("hello");
        return first.get(10, TimeUnit.SECONDS);
    }

    @Test
    void theCertificateIsPresentedAndAcceptedByAServerTrustingItsCa() throws Exception {
        ControlPlaneTrust trust = ControlPlaneTrust.fromValues(settings("client.pem", "client.key"), HTTPS);
        assertThat(trust.clientCertificate()).isEqualTo(dir.resolve("client.pem"));
        assertThat(connect(trust)).isEqualTo("hello CN=node-1");
    }

    @Test
    void withoutACertificateOrWithOneOfAnotherCaTheHandshakeFails() {
        assertThatThrownBy(() -> connect(ControlPlaneTrust.fromValues(settings(null, null), HTTPS))).isNotNull();
        assertThatThrownBy(() -> connect(ControlPlaneTrust.fromValues(settings("other.pem", "other.key"), HTTPS))).isNotNull();
    }

    @Test
    void badOrHalfSettingsAreRefusedAtStart() throws Exception {
        Map<String, String> half = settings(null, null);
        half.put("BALLAST_CP_CLIENT_CERT", dir.resolve("client.pem").toString());
        assertThatThrownBy(() -> ControlPlaneTrust.fromValues(half, HTTPS)).hasMessageContaining("BALLAST_CP_CLIENT_KEY").hasMessageContaining("both");
        assertThatThrownBy(() -> ControlPlaneTrust.fromValues(settings("client.key", "client.key"), HTTPS))
                .hasMessageContaining("--cp-client-cert").hasMessageContaining("not a readable PEM certificate");
        assertThatThrownBy(() -> ControlPlaneTrust.fromValues(settings("client.pem", "client.pem"), HTTPS))
                .hasMessageContaining("--cp-client-key").hasMessageContaining("not a readable PEM private key");
        assertThatThrownBy(() -> ControlPlaneTrust.fromValues(Map.of("BALLAST_CP_CLIENT_CERT", dir.resolve("client.pem").toString(),
                "BALLAST_CP_CLIENT_KEY", dir.resolve("client.key").toString()), List.of(URI.create("http://127.0.0.1:9000"))))
                .as("a certificate that would never be presented is refused, not ignored").hasMessageContaining("no https:// URL");
    }
}
