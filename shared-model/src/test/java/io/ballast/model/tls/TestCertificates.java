package io.ballast.model.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Real certificates for tests, made with BouncyCastle: EC P-256 or RSA, self-signed or issued by a CA. */
public final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private TestCertificates() {
    }

    /** A key pair and the certificate(s) for it, leaf first. */
    public record Issued(KeyPair keys, List<X509Certificate> chain) {
        public String chainPem() {
            StringBuilder out = new StringBuilder();
            chain.forEach(c -> out.append(PemChain.toPem(c)));
            return out.toString();
        }

        public String leafPem() {
            return PemChain.toPem(chain.get(0));
        }

        public String pkcs8() {
            return TestCertificates.pkcs8(keys.getPrivate());
        }

        /** PKCS#1 for RSA, SEC1 for EC ("traditional" OpenSSL formats). */
        public String traditional() {
            return TestCertificates.traditional(keys.getPrivate());
        }

        public String fingerprint() {
            return PemChain.fingerprint(chain.get(0));
        }
    }

    public static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits, new SecureRandom());
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed EC P-256 leaf for {@code hosts}, valid from an hour ago for 90 days. */
    public static Issued selfSigned(String... hosts) {
        KeyPair keys = ec();
        Instant now = Instant.now();
        return new Issued(keys, List.of(certificate(keys, "CN=" + hosts[0], keys.getPrivate(), "CN=" + hosts[0],
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(90)), false, hosts)));
    }

    public static Issued selfSigned(KeyPair keys, Instant notBefore, Instant notAfter, String... hosts) {
        return new Issued(keys, List.of(certificate(keys, "CN=" + hosts[0], keys.getPrivate(), "CN=" + hosts[0],
                notBefore, notAfter, false, hosts)));
    }

    /** A CA, a leaf issued by it; the chain is leaf then CA. */
    public static Issued issuedByCa(String... hosts) {
        KeyPair ca = ec();
        Instant now = Instant.now();
        X509Certificate caCert = certificate(ca, "CN=Ballast Test CA", ca.getPrivate(), "CN=Ballast Test CA",
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), true);
        KeyPair leaf = ec();
        X509Certificate leafCert = certificate(leaf, "CN=" + hosts[0], ca.getPrivate(), "CN=Ballast Test CA",
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(90)), false, hosts);
        return new Issued(leaf, List.of(leafCert, caCert));
    }

    public static X509Certificate certificate(KeyPair subjectKeys, String subject, PrivateKey issuerKey, String issuer,
                                              Instant notBefore, Instant notAfter, boolean ca, String... hosts) {
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                    new X500Name(subject), subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (hosts.length > 0) {
                GeneralName[] names = new GeneralName[hosts.length];
                for (int i = 0; i < hosts.length; i++) {
                    names[i] = new GeneralName(GeneralName.dNSName, hosts[i]);
                }
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            String algorithm = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            ContentSigner signer = new JcaContentSignerBuilder(algorithm).build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pkcs8(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PKCS#1 for RSA; SEC1 with its curve parameters for EC, as OpenSSL writes them. */
    public static String traditional(PrivateKey key) {
        if (!key.getAlgorithm().equals("EC")) {
            return write(key);
        }
        try {
            org.bouncycastle.asn1.pkcs.PrivateKeyInfo info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
            org.bouncycastle.asn1.sec.ECPrivateKey inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
            org.bouncycastle.asn1.sec.ECPrivateKey withCurve = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(),
                    inner.getPublicKey(), info.getPrivateKeyAlgorithm().getParameters());
            return write(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", withCurve.getEncoded()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String write(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
