package io.ballast.dataplane.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The TLS context of the proxy's TLS listeners: certificates from {@link SniKeyManager} (chosen per handshake
 * by SNI from the {@link CertificateStore}, so a swap needs no rebuild), ALPN {@code h2} then {@code http/1.1},
 * TLS 1.2 (unless the minimum is 1.3) and 1.3, AEAD ECDHE ciphers only, BoringSSL through netty-tcnative when
 * it loads and the JDK engine otherwise. Session resumption: tickets ({@link SessionTickets}) and the engine's
 * session cache. The BoringSSL context and engines are the reference-counted kind ({@code OPENSSL_REFCNT}): an
 * engine's native SSL is freed when its connection's SslHandler is removed, not by a finalizer after some later GC,
 * which with one engine per handshake would cost a finalizer registration per connection and keep native memory
 * alive until the collector runs; the context itself is released by {@link TlsAcceptor#release()}.
 */
public final class TlsContexts {
    /** TLS 1.2 suites with forward secrecy and AEAD (Mozilla "intermediate"). */
    static final List<String> TLS12_CIPHERS = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    static final List<String> TLS13_CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

    /** Distinct certificates (name and leaf) whose native key material is kept; past that, new ones are converted per handshake. */
    static final int CACHED_KEYS = 4096;

    private TlsContexts() {
    }

    /** Whether BoringSSL (netty-tcnative) loaded on this machine. */
    public static boolean openSslAvailable() {
        return OpenSsl.isAvailable();
    }

    /** A server context serving the certificates of {@code store} as it is at each handshake. */
    public static SslContext server(CertificateStore store, TlsSettings settings) throws SSLException {
        List<String> ciphers = new ArrayList<>(TLS13_CIPHERS);
        ciphers.addAll(TLS12_CIPHERS);
        SniKeyManager keys = new SniKeyManager(store);
        // With BoringSSL, key material is converted to native form per alias once and cached (else per handshake:
        // PEM-encoding and parsing the chain and key each time); aliases change with the leaf, so rotation is safe.
        SslContextBuilder builder = openSslAvailable()
                ? SslContextBuilder.forServer(new OpenSslCachingX509KeyManagerFactory(new KeyManagerFactoryWrapper(keys), CACHED_KEYS))
                : SslContextBuilder.forServer(keys);
        return builder
                .sslProvider(openSslAvailable() ? SslProvider.OPENSSL_REFCNT : SslProvider.JDK)
                .protocols(settings.protocols())
                .ciphers(ciphers)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                .build();
    }
}
