package io.ballast.dataplane.tls;

import io.ballast.model.tls.PemChain;
import io.netty.handler.ssl.util.SimpleTrustManagerFactory;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.X509TrustManager;

/**
 * How a data plane verifies the control plane on {@code https://} URLs: {@code BALLAST_CP_CA} (a PEM file of the CA
 * or certificate to trust, with host-name verification) or {@code BALLAST_CP_PIN} ({@code sha256:<hex>} of the
 * control plane's certificate: exactly that certificate is accepted, whatever its issuer or names, which suits a
 * self-signed one). An {@code https://} URL with neither is refused at start: the link carries private keys.
 * For mutual TLS the node also presents {@code BALLAST_CP_CLIENT_CERT} with its key {@code BALLAST_CP_CLIENT_KEY}
 * (PEM files) on {@code https://} URLs, in addition to its token; a control plane with {@code BALLAST_DP_CLIENT_CA}
 * refuses a node without one. Immutable.
 */
public record ControlPlaneTrust(Path ca, String pinSha256, Path clientCertificate, Path clientKey) {
    public static final ControlPlaneTrust NONE = new ControlPlaneTrust(null, null);

    /** Verification only, no client certificate. */
    public ControlPlaneTrust(Path ca, String pinSha256) {
        this(ca, pinSha256, null, null);
    }

    /** From the settings by variable name (flags merged over the environment), checked against the URLs. */
    public static ControlPlaneTrust fromValues(Map<String, String> values, List<URI> controlPlaneUrls) {
        String ca = values.getOrDefault("BALLAST_CP_CA", "").trim();
        String pin = values.getOrDefault("BALLAST_CP_PIN", "").trim().toLowerCase(Locale.ROOT);
        if (!ca.isEmpty() && !pin.isEmpty()) {
            throw new IllegalArgumentException("BALLAST_CP_CA / --cp-ca and BALLAST_CP_PIN / --cp-pin: give one, not both");
        }
        Path caPath = null;
        if (!ca.isEmpty()) {
            caPath = Path.of(ca);
            try {
                PemChain.parse(Files.readString(caPath));
            } catch (Exception e) {
                throw new IllegalArgumentException("BALLAST_CP_CA / --cp-ca: " + caPath + " is not a readable PEM certificate: " + e.getMessage());
            }
        }
        String hex = null;
        if (!pin.isEmpty()) {
            hex = pin.startsWith("sha256:") ? pin.substring(7) : "";
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("BALLAST_CP_PIN / --cp-pin: sha256:<64 hex digits> (the control plane prints it at start)");
            }
        }
        boolean https = controlPlaneUrls.stream().anyMatch(u -> "https".equalsIgnoreCase(u.getScheme()));
        if (https && caPath == null && hex == null) {
            throw new IllegalArgumentException("BALLAST_CP_URLS has an https:// URL but neither BALLAST_CP_CA nor BALLAST_CP_PIN is set: "
                    + "the control plane could not be verified (it sends private keys); set one of them");
        }
        String cert = values.getOrDefault("BALLAST_CP_CLIENT_CERT", "").trim();
        String key = values.getOrDefault("BALLAST_CP_CLIENT_KEY", "").trim();
        if (cert.isEmpty() != key.isEmpty()) {
            throw new IllegalArgumentException("BALLAST_CP_CLIENT_CERT / --cp-client-cert and BALLAST_CP_CLIENT_KEY / --cp-client-key go together:"
                    + " set both or neither");
        }
        if (cert.isEmpty()) {
            return new ControlPlaneTrust(caPath, hex);
        }
        if (!https) {
            // A client certificate is only ever presented in a TLS handshake: on ws:// URLs it would be ignored.
            throw new IllegalArgumentException("BALLAST_CP_CLIENT_CERT / --cp-client-cert is set but BALLAST_CP_URLS has no https:// URL"
                    + " to present it to");
        }
        Path certPath = Path.of(cert);
        Path keyPath = Path.of(key);
        try {
            PemChain.parse(Files.readString(certPath));
        } catch (Exception e) {
            throw new IllegalArgumentException("BALLAST_CP_CLIENT_CERT / --cp-client-cert: " + certPath + " is not a readable PEM certificate: "
                    + e.getMessage());
        }
        try {
            if (!Files.readString(keyPath).contains("PRIVATE KEY-----")) {
                throw new IllegalArgumentException("no PEM private key in it");
            }
        } catch (Exception e) {
            throw new IllegalArgumentException("BALLAST_CP_CLIENT_KEY / --cp-client-key: " + keyPath + " is not a readable PEM private key: "
                    + e.getMessage());
        }
        return new ControlPlaneTrust(caPath, hex, certPath, keyPath);
    }

    /** Sets the client's trust, and its certificate if it has one, for {@code wss://} (plain {@code ws://} URLs ignore both). */
    public WebSocketClientOptions configure(WebSocketClientOptions options) {
        if (clientCertificate != null) {
            options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(clientCertificate.toString()).setKeyPath(clientKey.toString()));
        }
        if (ca != null) {
            return options.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())).setVerifyHost(true);
        }
        if (pinSha256 != null) {
            // The pin names the certificate itself, so its names need not match the URL (a self-signed one has "localhost").
            // Through a factory: Vert.x's TrustOptions.wrap(TrustManager) needs slf4j, which is not on the classpath.
            PinnedTrustManager pinned = new PinnedTrustManager(pinSha256);
            return options.setTrustOptions(TrustOptions.wrap(new SimpleTrustManagerFactory() {
                @Override
                protected void engineInit(java.security.KeyStore keyStore) {
                }

                @Override
                protected void engineInit(javax.net.ssl.ManagerFactoryParameters parameters) {
                }

                @Override
                protected javax.net.ssl.TrustManager[] engineGetTrustManagers() {
                    return new javax.net.ssl.TrustManager[] {pinned};
                }
            })).setVerifyHost(false);
        }
        return options;
    }

    /** Accepts a server whose leaf certificate has exactly the pinned SHA-256 fingerprint. */
    static final class PinnedTrustManager implements X509TrustManager {
        private final String pin;

        PinnedTrustManager(String pin) {
            this.pin = pin;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            String actual = chain == null || chain.length == 0 ? "none" : PemChain.fingerprint(chain[0]);
            if (!pin.equals(actual)) {
                throw new CertificateException("the control plane's certificate sha256:" + actual + " is not the pinned sha256:" + pin);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a server trust manager for clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

}
