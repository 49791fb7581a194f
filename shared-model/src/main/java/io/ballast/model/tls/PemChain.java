package io.ballast.model.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a PEM chain of X.509 certificates with the JDK alone (both planes use it, so it lives here
 * without a crypto library). Only {@code CERTIFICATE} blocks are accepted; text between blocks is
 * ignored as PEM allows. Stateless and thread-safe.
 */
public final class PemChain {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** subjectAltName GeneralName tag for dNSName (RFC 5280 §4.2.1.6). */
    private static final int SAN_DNS = 2;

    private PemChain() {
    }

    /**
     * @return the chain, leaf first, as given
     * @throws IllegalArgumentException with a readable reason when the text holds no certificate or a bad one
     */
    public static List<X509Certificate> parse(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("no PEM certificate given");
        }
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("every JVM has X.509", e);
        }
        List<X509Certificate> chain = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        int index = 0;
        while (m.find()) {
            if (!m.group(1).equals("CERTIFICATE")) {
                throw new IllegalArgumentException("block " + index + " is '" + m.group(1) + "', expected only CERTIFICATE blocks");
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("certificate " + index + " is not valid base64");
            }
            try {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (CertificateException | ClassCastException e) {
                throw new IllegalArgumentException("certificate " + index + " is not a valid X.509 certificate");
            }
            index++;
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no PEM CERTIFICATE block found");
        }
        return List.copyOf(chain);
    }

    /** Lower-case hex SHA-256 of the certificate's DER encoding (what {@code openssl x509 -fingerprint -sha256} shows). */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate encodes", e);
        }
    }

    /** The fingerprint of the chain's leaf, or null when the text is not a parsable chain. */
    public static String leafFingerprintOrNull(String pem) {
        try {
            return fingerprint(parse(pem).get(0));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The leaf's subjectAltName DNS names, lower case, in certificate order. */
    public static List<String> dnsNames(X509Certificate certificate) {
        try {
            var sans = certificate.getSubjectAlternativeNames();
            if (sans == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (List<?> san : sans) {
                if (san.size() >= 2 && san.get(0) instanceof Integer type && type == SAN_DNS && san.get(1) instanceof String name) {
                    out.add(name.toLowerCase(Locale.ROOT));
                }
            }
            return List.copyOf(out);
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    /** PEM text of one certificate (64-column base64), for rebuilding a chain. */
    public static String toPem(X509Certificate certificate) {
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate encodes", e);
        }
    }
}
