package io.ballast.e2e;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed ECDSA P-256 certificate and its PKCS#8 key made by the {@code openssl} command, as an operator
 * would make one, in PEM.
 */
record OpensslCertificate(String certificate, String privateKey) {
    static OpensslCertificate make(Path dir, String... dnsNames) throws Exception {
        return make(dir, 90, dnsNames);
    }

    /** Valid from now for {@code days} days. */
    static OpensslCertificate make(Path dir, int days, String... dnsNames) throws Exception {
        Path key = Files.createTempFile(dir, "key", ".pem");
        Path cert = Files.createTempFile(dir, "cert", ".pem");
        List<String> command = new ArrayList<>(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-days", Integer.toString(days), "-keyout", key.toString(), "-out", cert.toString(),
                "-subj", "/CN=" + dnsNames[0], "-addext", "subjectAltName=DNS:" + String.join(",DNS:", dnsNames)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl req failed: " + out);
        }
        return new OpensslCertificate(Files.readString(cert), Files.readString(key));
    }

    X509Certificate x509() {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificate.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SHA-256 fingerprint of the certificate, lower-case hex. */
    String fingerprint() {
        return fingerprint(x509());
    }

    static String fingerprint(java.security.cert.Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON body of a certificate write. */
    String body(String name) throws Exception {
        return E2e.JSON.writeValueAsString(java.util.Map.of("name", name, "certificate", certificate, "privateKey", privateKey));
    }
}
