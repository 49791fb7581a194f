package io.ballast.dataplane.tls;

import static java.util.Objects.requireNonNull;

import io.ballast.model.tls.PemChain;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * One loaded server certificate: its name, its key and its chain (leaf first). Immutable.
 *
 * @param hosts the leaf's SAN DNS names, lower case (exact names and {@code *.} wildcards)
 * @param alias the key manager's alias: the name and the leaf's fingerprint, so a rotated certificate (same name,
 *              new leaf) has a new alias and the engine's per-alias cache of native key material never serves the
 *              old one
 */
public record ServerCertificate(String name, PrivateKey key, List<X509Certificate> chain, List<String> hosts, String alias) {
    public ServerCertificate {
        requireNonNull(name, "name");
        requireNonNull(key, "key");
        requireNonNull(alias, "alias");
        chain = List.copyOf(chain);
        hosts = List.copyOf(hosts);
    }

    public ServerCertificate(String name, PrivateKey key, List<X509Certificate> chain, List<String> hosts) {
        this(name, key, chain, hosts, name + "#" + PemChain.fingerprint(chain.get(0)));
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
