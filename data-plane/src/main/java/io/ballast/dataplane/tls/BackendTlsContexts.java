package io.ballast.dataplane.tls;

import io.ballast.model.Certificate;
import io.ballast.model.Pool;
import io.ballast.model.PoolTls;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.tls.PemChain;
import io.ballast.model.validation.Violation;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The backend TLS of every pool of a snapshot that has {@code tls.enabled}, by pool name. Verification (unless
 * {@code verify: false}) checks the chain against the pool's {@code caCertificate} (else the JVM's default trust)
 * and the server name (RFC 6125, Netty's HTTPS endpoint identification). Immutable and thread-safe.
 */
public final class BackendTlsContexts {
    public static final BackendTlsContexts NONE = new BackendTlsContexts(Map.of());

    private final Map<String, BackendTls> byPool;

    private BackendTlsContexts(Map<String, BackendTls> byPool) {
        this.byPool = byPool;
    }

    /** Built from a snapshot, or the reasons it cannot be (the snapshot is then refused). */
    public sealed interface Loaded permits Loaded.Ok, Loaded.Refused {
        record Ok(BackendTlsContexts contexts) implements Loaded {
        }

        record Refused(List<Violation> errors) implements Loaded {
        }
    }

    /** @param keyed the snapshot's certificates with their keys (for {@code clientCertificate}) */
    public static Loaded load(ConfigSnapshot config, ServerCertificates keyed) {
        Map<String, Certificate> certificates = new HashMap<>();
        config.certificates().forEach(c -> certificates.put(c.name(), c));
        Map<String, BackendTls> byPool = new HashMap<>();
        List<Violation> errors = new ArrayList<>();
        for (int i = 0; i < config.pools().size(); i++) {
            Pool pool = config.pools().get(i);
            if (!pool.tlsEnabled()) {
                continue;
            }
            PoolTls tls = pool.tls();
            String at = "pools[" + i + "].tls";
            try {
                // protocol h2 is negotiated by ALPN, offering only h2: a backend that cannot speak it fails the handshake
                // (or selects nothing), which the connection reports as a failed connect instead of a garbled exchange.
                boolean h2 = "h2".equals(pool.protocol());
                String alpn = h2 ? ApplicationProtocolNames.HTTP_2 : ApplicationProtocolNames.HTTP_1_1;
                ClientSSLOptions probe = new ClientSSLOptions().setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
                        .setHostnameVerificationAlgorithm(tls.verify() ? "HTTPS" : "").setTrustAll(!tls.verify());
                if (h2) {
                    probe.setUseAlpn(true).setApplicationLayerProtocols(List.of(ApplicationProtocolNames.HTTP_2));
                }
                SslContextBuilder builder = SslContextBuilder.forClient()
                        .sslProvider(TlsContexts.openSslAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                        .protocols("TLSv1.3", "TLSv1.2")
                        .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
                if (!tls.verify()) {
                    builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
                } else {
                    builder.endpointIdentificationAlgorithm("HTTPS");
                    if (tls.caCertificate() != null) {
                        Certificate ca = certificates.get(tls.caCertificate());
                        if (ca == null) {
                            errors.add(new Violation(at + ".caCertificate", "certificate '" + tls.caCertificate() + "' does not exist"));
                            continue;
                        }
                        X509Certificate[] trusted = PemChain.parse(ca.certificate()).toArray(new X509Certificate[0]);
                        builder.trustManager(trusted);
                        probe.setTrustOptions(TrustOptions.wrap(trustManagers(trusted)));
                    }
                }
                if (tls.clientCertificate() != null) {
                    ServerCertificate client = keyed.byName().get(tls.clientCertificate());
                    if (client == null) {
                        errors.add(new Violation(at + ".clientCertificate", "certificate '" + tls.clientCertificate() + "' has no loaded key"));
                        continue;
                    }
                    builder.keyManager(client.key(), client.chain().toArray(new X509Certificate[0]));
                    probe.setKeyCertOptions(KeyCertOptions.wrap(keyManagers(client)));
                }
                byPool.put(pool.name(), new BackendTls(tls, builder.build(), probe));
            } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
                errors.add(new Violation(at, "cannot set up TLS to the backends of pool '" + pool.name() + "': " + e.getMessage()));
            }
        }
        return errors.isEmpty() ? new Loaded.Ok(new BackendTlsContexts(Map.copyOf(byPool))) : new Loaded.Refused(errors);
    }

    private static TrustManagerFactory trustManagers(X509Certificate[] trusted) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < trusted.length; i++) {
            store.setCertificateEntry("ca" + i, trusted[i]);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory;
    }

    private static KeyManagerFactory keyManagers(ServerCertificate client) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = new char[0];
        store.setKeyEntry(client.name(), client.key(), password, client.chain().toArray(new X509Certificate[0]));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        return factory;
    }

    /** The pool's backend TLS, or null when the pool talks to its backends in cleartext. */
    public BackendTls forPool(String pool) {
        return byPool.get(pool);
    }
}
