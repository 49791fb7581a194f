package io.ballast.dataplane.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager that picks the server certificate for each handshake from the {@link CertificateStore}
 * as it is at that moment, by the SNI name of the handshake ({@link ServerCertificates#select}). The
 * alias is the certificate's name and leaf fingerprint ({@link ServerCertificate#alias()}). Because the choice is made per handshake, a swapped store is
 * served to the next handshake with no rebuild of the SSL context, and established connections keep
 * the certificate they negotiated. Thread-safe. Works with the JDK engine and Netty's OpenSSL engine
 * (both expose the requested server names on the handshake session).
 */
public final class SniKeyManager extends X509ExtendedKeyManager {
    private final CertificateStore store;

    public SniKeyManager(CertificateStore store) {
        this.store = store;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, engine == null ? null : engine.getHandshakeSession());
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType, null);
    }

    private String choose(String keyType, SSLSession handshake) {
        return store.current().select(sni(handshake))
                .filter(c -> keyType == null || fits(keyType, c.key().getAlgorithm()))
                .map(ServerCertificate::alias)
                .orElse(null);
    }

    /** keyType is "EC", "EC_EC", "ECDHE_ECDSA", "RSA", "ECDHE_RSA", "RSASSA-PSS" ... depending on engine and version. */
    private static boolean fits(String keyType, String algorithm) {
        String type = keyType.toUpperCase(java.util.Locale.ROOT);
        return algorithm.equals("EC") ? type.contains("EC") && !type.endsWith("RSA") : type.contains("RSA");
    }

    static String sni(SSLSession handshake) {
        if (handshake instanceof ExtendedSSLSession extended) {
            try {
                List<SNIServerName> names = extended.getRequestedServerNames();
                for (SNIServerName name : names) {
                    if (name.getType() == StandardConstants.SNI_HOST_NAME) {
                        return ((SNIHostName) name).getAsciiName();
                    }
                }
            } catch (UnsupportedOperationException e) {
                return null;
            }
        }
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        ServerCertificate c = alias == null ? null : store.byAlias(alias);
        return c == null ? null : c.chain().toArray(new X509Certificate[0]);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        ServerCertificate c = alias == null ? null : store.byAlias(alias);
        return c == null ? null : c.key();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return store.current().byName().values().stream().map(ServerCertificate::alias).toArray(String[]::new);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
