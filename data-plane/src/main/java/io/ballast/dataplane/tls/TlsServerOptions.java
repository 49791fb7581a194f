package io.ballast.dataplane.tls;

import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Turns a proxy listener's options into a TLS listener's: certificates from {@link SniKeyManager},
 * ALPN {@code h2} then {@code http/1.1}, TLS 1.2 (unless the minimum is 1.3) and 1.3, AEAD ECDHE
 * ciphers only, BoringSSL through netty-tcnative when it loads, the JDK engine otherwise. Session
 * resumption is the engine's default (session cache and tickets), not yet configured or tested here. This is the
 * whole of the wiring into Vert.x; a raw Netty pipeline would use {@link SniKeyManager} the same way
 * through {@code SslContextBuilder.forServer(keyManager)}.
 */
public final class TlsServerOptions {
    /** TLS 1.2 suites with forward secrecy and AEAD (Mozilla "intermediate"); TLS 1.3 suites are fixed by the engine. */
    static final List<String> TLS12_CIPHERS = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    static final List<String> TLS13_CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

    private TlsServerOptions() {
    }

    /** Whether BoringSSL (netty-tcnative) loaded on this machine. */
    public static boolean openSslAvailable() {
        return OpenSsl.isAvailable();
    }

    public static HttpServerOptions apply(HttpServerOptions options, CertificateStore store, TlsSettings settings) {
        options.setSsl(true)
                .setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                .setKeyCertOptions(new SniKeyCertOptions(new SniKeyManager(store)))
                .setEnabledSecureTransportProtocols(new LinkedHashSet<>(settings.protocols()))
                .setSslEngineOptions(openSslAvailable() ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions());
        options.getEnabledCipherSuites().clear();
        TLS13_CIPHERS.forEach(options::addEnabledCipherSuite);
        TLS12_CIPHERS.forEach(options::addEnabledCipherSuite);
        return options;
    }
}
