package io.ballast.dataplane.tls;

import static java.util.Objects.requireNonNull;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * One loaded server certificate: its name, its key and its chain (leaf first). Immutable.
 *
 * @param hosts the leaf's SAN DNS names, lower case (exact names and {@code *.} wildcards)
 */
public record ServerCertificate(String name, PrivateKey key, List<X509Certificate> chain, List<String> hosts) {
    public ServerCertificate {
        requireNonNull(name, "name");
        requireNonNull(key, "key");
        chain = List.copyOf(chain);
        hosts = List.copyOf(hosts);
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "ServerCertificate[" + name + ", hosts=" + hosts + "]";
    }
}
