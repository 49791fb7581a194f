package io.ballast.controlplane.certificate;

import io.ballast.model.Certificate;
import io.ballast.model.tls.PemChain;
import io.ballast.model.validation.CertificateValidator;
import io.ballast.model.validation.InvalidConfigException;
import io.ballast.model.validation.Violation;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Checks a certificate before it is accepted, with violations that name the field: the PEM parses,
 * the chain is leaf first and each certificate is issued by the next, the leaf has not expired, no
 * key is weak (RSA under 2048 bits, EC under 256), and the private key (PKCS#8, PKCS#1 or SEC1)
 * belongs to the leaf. Keys come out as PKCS#8, the one form data planes read. A leaf that expires
 * within 30 days, or is not valid yet, passes with a warning. Stateless and thread-safe.
 */
public final class CertificateInspector {
    static final Duration EXPIRY_WARNING = Duration.ofDays(30);
    private static final int MIN_RSA_BITS = 2048;
    private static final int MIN_EC_BITS = 256;

    private CertificateInspector() {
    }

    /**
     * A checked certificate.
     *
     * @param pkcs8 the private key as PKCS#8 PEM, or null for a trust bundle
     */
    public record Inspected(CertificateInfo info, String pkcs8) {
        @Override
        public String toString() {
            return "Inspected[" + info.name() + ", " + info.fingerprintSha256() + "]";
        }
    }

    /**
     * @param storedKey the key this control plane already holds for the leaf (PKCS#8), used when the
     *                  certificate says {@code hasPrivateKey} without giving one; null when none
     * @param at        prefix of the violations' fields, e.g. {@code certificates[2].}
     * @throws InvalidConfigException naming {@code certificate}, {@code privateKey} or {@code hasPrivateKey}
     */
    public static Inspected inspect(Certificate c, String storedKey, String at, Instant now) {
        List<Violation> shape = CertificateValidator.validate(c, at);
        if (!shape.isEmpty()) {
            throw new InvalidConfigException(shape);
        }
        List<X509Certificate> chain = PemChain.parse(c.certificate());
        X509Certificate leaf = chain.get(0);
        List<Violation> out = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        boolean keyed = c.hasPrivateKey();
        if (!keyed && c.privateKey() != null) {
            out.add(new Violation(at + "hasPrivateKey", "is false, but a privateKey is given"));
        }
        validity(keyed ? List.of(leaf) : chain, at, now, out, warnings);
        for (int i = 0; i < chain.size(); i++) {
            String weak = weakness(chain.get(i).getPublicKey());
            if (weak != null) {
                out.add(new Violation(at + "certificate", "certificate " + i + " has a weak key: " + weak));
            }
        }
        if (keyed) {
            order(chain, at, out);
        }
        String pkcs8 = null;
        if (keyed) {
            pkcs8 = key(c, storedKey, leaf, at, out);
        }
        if (!out.isEmpty()) {
            throw new InvalidConfigException(out);
        }
        CertificateInfo info = new CertificateInfo(c.name(), PemChain.dnsNames(leaf), leaf.getNotBefore().toInstant(),
                leaf.getNotAfter().toInstant(), leaf.getIssuerX500Principal().getName(), leaf.getSubjectX500Principal().getName(),
                PemChain.fingerprint(leaf), keyType(leaf.getPublicKey()), keyed, chain.size(), warnings);
        return new Inspected(info, pkcs8);
    }

    /** Metadata of a stored certificate (already checked when it was written): no checks, no key. */
    public static CertificateInfo describe(String name, String pem, boolean hasPrivateKey, Instant now) {
        List<X509Certificate> chain = PemChain.parse(pem);
        X509Certificate leaf = chain.get(0);
        List<String> warnings = new ArrayList<>();
        validity(List.of(leaf), "", now, null, warnings);
        return new CertificateInfo(name, PemChain.dnsNames(leaf), leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(),
                leaf.getIssuerX500Principal().getName(), leaf.getSubjectX500Principal().getName(), PemChain.fingerprint(leaf),
                keyType(leaf.getPublicKey()), hasPrivateKey, chain.size(), warnings);
    }

    private static void validity(List<X509Certificate> certificates, String at, Instant now, List<Violation> out, List<String> warnings) {
        for (int i = 0; i < certificates.size(); i++) {
            X509Certificate cert = certificates.get(i);
            Instant notAfter = cert.getNotAfter().toInstant();
            String which = i == 0 ? "the leaf certificate" : "certificate " + i;
            if (!notAfter.isAfter(now)) {
                String message = which + " expired at " + notAfter;
                if (out != null) {
                    out.add(new Violation(at + "certificate", message));
                } else {
                    warnings.add(message);
                }
            } else if (notAfter.isBefore(now.plus(EXPIRY_WARNING))) {
                warnings.add(which + " expires in " + Duration.between(now, notAfter).toDays() + " days, at " + notAfter);
            }
            if (cert.getNotBefore().toInstant().isAfter(now)) {
                warnings.add(which + " is not valid before " + cert.getNotBefore().toInstant());
            }
        }
    }

    /** Leaf first, then each issuer: certificate i must be signed by certificate i+1. */
    private static void order(List<X509Certificate> chain, String at, List<Violation> out) {
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate cert = chain.get(i);
            X509Certificate next = chain.get(i + 1);
            boolean issued = cert.getIssuerX500Principal().equals(next.getSubjectX500Principal());
            if (issued) {
                try {
                    cert.verify(next.getPublicKey());
                } catch (GeneralSecurityException e) {
                    issued = false;
                }
            }
            if (!issued) {
                out.add(new Violation(at + "certificate", "the chain is out of order: certificate " + i + " ("
                        + cert.getSubjectX500Principal().getName() + ") is not issued by certificate " + (i + 1) + " ("
                        + next.getSubjectX500Principal().getName() + "); give the leaf first, then each issuer"));
                return;
            }
        }
    }

    private static String key(Certificate c, String storedKey, X509Certificate leaf, String at, List<Violation> out) {
        String pem = c.privateKey() != null ? c.privateKey() : storedKey;
        if (pem == null) {
            out.add(new Violation(at + "privateKey", "is required: hasPrivateKey is true and no key for this certificate "
                    + "(fingerprint " + PemChain.fingerprint(leaf) + ") is stored; give the PEM private key"));
            return null;
        }
        PrivateKey key;
        try {
            key = parseKey(pem);
        } catch (IllegalArgumentException e) {
            out.add(new Violation(at + "privateKey", e.getMessage()));
            return null;
        }
        if (!matches(key, leaf.getPublicKey())) {
            out.add(new Violation(at + "privateKey", "does not match the leaf certificate's public key"));
            return null;
        }
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    static PrivateKey parseKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (int guard = 0; guard < 8; guard++) {
                Object o = parser.readObject();
                if (o == null) {
                    break;
                }
                if (o instanceof ASN1ObjectIdentifier) {
                    continue; // an "EC PARAMETERS" block before a SEC1 key
                }
                if (o instanceof PEMKeyPair pair) {
                    return jdkKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return jdkKey(info);
                }
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IllegalArgumentException("is encrypted; give it unencrypted (e.g. openssl pkey -in key.pem)");
                }
                throw new IllegalArgumentException("holds a " + o.getClass().getSimpleName() + ", not a private key");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().startsWith("is ")) {
                throw iae;
            }
            throw new IllegalArgumentException("is not a readable PEM private key (PKCS#8, PKCS#1 or SEC1)");
        }
        throw new IllegalArgumentException("is not a PEM private key (PKCS#8, PKCS#1 or SEC1)");
    }

    /** The key from the JDK's own providers (no BouncyCastle provider is registered), by its algorithm OID. */
    private static PrivateKey jdkKey(PrivateKeyInfo info) throws IOException {
        var oid = info.getPrivateKeyAlgorithm().getAlgorithm();
        String algorithm;
        if (oid.equals(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.rsaEncryption)) {
            algorithm = "RSA";
        } else if (oid.equals(org.bouncycastle.asn1.x9.X9ObjectIdentifiers.id_ecPublicKey)) {
            algorithm = "EC";
        } else {
            throw new IllegalArgumentException("is of an unsupported key type (" + oid + "); RSA or EC only");
        }
        try {
            return java.security.KeyFactory.getInstance(algorithm).generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IOException("unreadable " + algorithm + " key", e);
        }
    }

    /** Signs a random challenge with the key and verifies it with the certificate's public key. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (publicKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> null;
        };
        if (algorithm == null || !key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Why a key is too weak or of an unsupported type; null when it is fine. */
    private static String weakness(PublicKey key) {
        if (key instanceof RSAKey rsa) {
            int bits = rsa.getModulus().bitLength();
            return bits < MIN_RSA_BITS ? "RSA " + bits + " bits (at least " + MIN_RSA_BITS + " are required)" : null;
        }
        if (key instanceof ECKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return bits < MIN_EC_BITS ? "EC " + bits + " bits (at least " + MIN_EC_BITS + " are required)" : null;
        }
        return "unsupported key type " + key.getAlgorithm() + " (RSA or EC only)";
    }

    static String keyType(PublicKey key) {
        if (key instanceof RSAKey rsa) {
            return "RSA " + rsa.getModulus().bitLength();
        }
        if (key instanceof ECKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return "EC P-" + bits;
        }
        return key.getAlgorithm();
    }
}
