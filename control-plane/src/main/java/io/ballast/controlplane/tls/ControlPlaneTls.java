package io.ballast.controlplane.tls;

import io.ballast.model.tls.PemChain;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate of the control plane's HTTPS port, chosen before Quarkus boots (its TLS settings are read at
 * start): {@code BALLAST_TLS_CERT} and {@code BALLAST_TLS_KEY} (PEM files), or else a self-signed ECDSA P-256
 * certificate generated once into the data directory ({@code cp-tls-cert.pem}, {@code cp-tls-key.pem} mode 0600)
 * and kept, so its fingerprint (which data planes pin with {@code BALLAST_CP_PIN}) stays the same across restarts.
 * HTTPS is on by default (API.md: {@code QUARKUS_HTTP_SSL_PORT} [9443]) beside the plain port, which keeps serving;
 * {@code BALLAST_HTTPS=off} turns it off for setups that start several control planes on one machine without TLS
 * (scripts, benchmarks). Off together with a TLS setting is a contradiction and refused, never silently ignored.
 */
public record ControlPlaneTls(Path certificate, Path key, String fingerprintSha256, boolean generated) {
    static final String CERT_FILE = "cp-tls-cert.pem";
    static final String KEY_FILE = "cp-tls-key.pem";

    /** The TLS to set up, or empty when HTTPS is turned off with {@code BALLAST_HTTPS=off}. */
    public static Optional<ControlPlaneTls> fromEnvironment(Map<String, String> env, Path dataDir) {
        String cert = env.getOrDefault("BALLAST_TLS_CERT", "").trim();
        String key = env.getOrDefault("BALLAST_TLS_KEY", "").trim();
        String https = env.getOrDefault("BALLAST_HTTPS", "on").trim().toLowerCase(java.util.Locale.ROOT);
        if (!https.equals("on") && !https.equals("off")) {
            throw new IllegalArgumentException("BALLAST_HTTPS: on or off, not '" + https + "'");
        }
        if (https.equals("off")) {
            for (String setting : List.of("BALLAST_TLS_CERT", "BALLAST_TLS_KEY", "QUARKUS_HTTP_SSL_PORT", "BALLAST_DP_CLIENT_CA")) {
                if (!env.getOrDefault(setting, "").isBlank()) {
                    throw new IllegalArgumentException("BALLAST_HTTPS=off but " + setting + " is set: unset one of them");
                }
            }
            return Optional.empty();
        }
        if (cert.isEmpty() != key.isEmpty()) {
            throw new IllegalArgumentException("BALLAST_TLS_CERT and BALLAST_TLS_KEY go together: set both or neither");
        }
        if (!cert.isEmpty()) {
            Path c = Path.of(cert);
            try {
                return Optional.of(new ControlPlaneTls(c, Path.of(key), PemChain.fingerprint(PemChain.parse(Files.readString(c)).get(0)), false));
            } catch (IOException e) {
                throw new IllegalArgumentException("BALLAST_TLS_CERT: cannot read " + c + ": " + e.getMessage());
            }
        }
        return Optional.of(generatedIn(dataDir));
    }

    /** The self-signed certificate of {@code dataDir}, made on first use. */
    static ControlPlaneTls generatedIn(Path dataDir) {
        Path c = dataDir.resolve(CERT_FILE);
        Path k = dataDir.resolve(KEY_FILE);
        try {
            if (!Files.exists(c) || !Files.exists(k)) {
                Files.createDirectories(dataDir);
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"));
                KeyPair pair = g.generateKeyPair();
                X509Certificate x509 = selfSigned(pair);
                Path tmpKey = Files.createTempFile(dataDir, KEY_FILE, ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(tmpKey, pkcs8(pair), StandardCharsets.US_ASCII);
                Files.move(tmpKey, k, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.writeString(c, PemChain.toPem(x509), StandardCharsets.US_ASCII);
            }
            return new ControlPlaneTls(c, k, PemChain.fingerprint(PemChain.parse(Files.readString(c)).get(0)), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the control plane's TLS certificate under " + dataDir, e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hands the files to Quarkus (system properties outrank application.properties). */
    public void apply() {
        System.setProperty("quarkus.http.ssl.certificate.files", certificate.toString());
        System.setProperty("quarkus.http.ssl.certificate.key-files", key.toString());
    }

    private static X509Certificate selfSigned(KeyPair pair) throws java.security.GeneralSecurityException, IOException {
        Instant now = Instant.now();
        List<GeneralName> names = new ArrayList<>(List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.iPAddress, "::1")));
        try {
            names.add(new GeneralName(GeneralName.dNSName, InetAddress.getLocalHost().getHostName()));
        } catch (IOException e) {
            // No resolvable host name: localhost and the loopback addresses only.
        }
        X500Name subject = new X500Name("CN=Ballast control plane");
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(3650))), subject, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new java.security.GeneralSecurityException(e);
        }
    }

    private static String pkcs8(KeyPair pair) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(pair.getPrivate(), null));
        }
        return out.toString();
    }
}
