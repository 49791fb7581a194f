package io.ballast.dataplane.tls;

import io.ballast.model.Certificate;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.tls.PemChain;
import io.ballast.model.validation.Violation;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The server certificates of one snapshot, and the choice among them for a handshake: the
 * certificate whose SAN names the SNI host exactly, else one with a matching wildcard
 * ({@code *.example.com} covers {@code a.example.com}, not {@code a.b.example.com} nor
 * {@code example.com}, as RFC 6125 §6.4.3), else the certificate named {@code default}, else none
 * (the handshake then fails with {@code unrecognized_name}). Trust bundles (no key) are not server
 * certificates and are left out. Immutable and thread-safe; a new snapshot builds a new set, which
 * the engine swaps in for new handshakes.
 */
public final class ServerCertificates {
    public static final String DEFAULT_NAME = "default";
    public static final ServerCertificates NONE = new ServerCertificates(Map.of(), Map.of(), Map.of(), null);

    private final Map<String, ServerCertificate> byName;
    private final Map<String, ServerCertificate> byAlias = new HashMap<>();
    private final Map<String, ServerCertificate> exact;
    private final Map<String, ServerCertificate> wildcard;
    private final ServerCertificate fallback;

    private ServerCertificates(Map<String, ServerCertificate> byName, Map<String, ServerCertificate> exact,
                               Map<String, ServerCertificate> wildcard, ServerCertificate fallback) {
        this.byName = byName;
        byName.values().forEach(c -> byAlias.put(c.alias(), c));
        this.exact = exact;
        this.wildcard = wildcard;
        this.fallback = fallback;
    }

    /** A set built from a snapshot, or the reasons it cannot be (the snapshot is then refused). */
    public sealed interface Loaded permits Loaded.Ok, Loaded.Refused {
        record Ok(ServerCertificates certificates) implements Loaded {
        }

        record Refused(List<Violation> errors) implements Loaded {
        }
    }

    /**
     * Loads every certificate of {@code config} that has a key, with its key from {@code privateKeys}
     * (by name, PKCS#8 PEM). Refused when a key is missing, unreadable or not the leaf's.
     */
    public static Loaded load(ConfigSnapshot config, Map<String, String> privateKeys) {
        List<Violation> errors = new ArrayList<>();
        List<ServerCertificate> loaded = new ArrayList<>();
        for (int i = 0; i < config.certificates().size(); i++) {
            Certificate c = config.certificates().get(i);
            if (!c.hasPrivateKey()) {
                continue;
            }
            String at = "certificates[" + i + "]";
            String pem = privateKeys.get(c.name());
            if (pem == null) {
                errors.add(new Violation(at + ".privateKey", "no private key was sent for certificate '" + c.name() + "'"));
                continue;
            }
            try {
                List<X509Certificate> chain = PemChain.parse(c.certificate());
                PrivateKey key = pkcs8(pem, chain.get(0).getPublicKey().getAlgorithm());
                if (!matches(key, chain.get(0))) {
                    errors.add(new Violation(at + ".privateKey", "does not match the leaf certificate of '" + c.name() + "'"));
                    continue;
                }
                loaded.add(new ServerCertificate(c.name(), key, chain, PemChain.dnsNames(chain.get(0))));
            } catch (IllegalArgumentException e) {
                errors.add(new Violation(at, "certificate '" + c.name() + "' cannot be loaded: " + e.getMessage()));
            }
        }
        return errors.isEmpty() ? new Loaded.Ok(of(loaded)) : new Loaded.Refused(errors);
    }

    /**
     * A set of already loaded certificates. Where two certificates claim the same name, the one whose
     * name sorts first wins, so the choice does not depend on snapshot order.
     */
    public static ServerCertificates of(List<ServerCertificate> certificates) {
        Map<String, ServerCertificate> byName = new TreeMap<>();
        certificates.forEach(c -> byName.put(c.name(), c));
        Map<String, ServerCertificate> exact = new HashMap<>();
        Map<String, ServerCertificate> wildcard = new HashMap<>();
        for (ServerCertificate c : byName.values()) {
            for (String host : c.hosts()) {
                if (host.startsWith("*.")) {
                    wildcard.putIfAbsent(host.substring(2), c);
                } else {
                    exact.putIfAbsent(host, c);
                }
            }
        }
        return new ServerCertificates(Map.copyOf(byName), Map.copyOf(exact), Map.copyOf(wildcard), byName.get(DEFAULT_NAME));
    }

    /**
     * The certificate for a handshake that asked for {@code sni} (null or empty: the client sent no
     * server name). Empty means the handshake must fail with {@code unrecognized_name}.
     */
    public Optional<ServerCertificate> select(String sni) {
        if (sni != null && !sni.isEmpty()) {
            String host = sni.toLowerCase(Locale.ROOT);
            if (host.endsWith(".")) {
                host = host.substring(0, host.length() - 1);
            }
            ServerCertificate hit = exact.get(host);
            if (hit != null) {
                return Optional.of(hit);
            }
            int dot = host.indexOf('.');
            if (dot > 0) {
                hit = wildcard.get(host.substring(dot + 1));
                if (hit != null) {
                    return Optional.of(hit);
                }
            }
        }
        return Optional.ofNullable(fallback);
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    /** The certificate of a key-manager alias ({@link ServerCertificate#alias()}), if it is in this set. */
    public ServerCertificate byAlias(String alias) {
        return byAlias.get(alias);
    }

    /** Every certificate, by name. */
    public Map<String, ServerCertificate> byName() {
        return byName;
    }

    private static PrivateKey pkcs8(String pem, String algorithm) {
        String body = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        if (!pem.contains("BEGIN PRIVATE KEY")) {
            throw new IllegalArgumentException("the private key is not PKCS#8 PEM");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the private key cannot be read as " + algorithm);
        }
    }

    private static boolean matches(PrivateKey key, X509Certificate leaf) {
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
