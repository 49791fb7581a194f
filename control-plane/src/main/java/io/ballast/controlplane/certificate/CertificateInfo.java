package io.ballast.controlplane.certificate;

import java.time.Instant;
import java.util.List;

/**
 * What the API answers about a certificate: the leaf's names, validity, issuer and key type, parsed
 * from the PEM. Never any key material.
 *
 * @param hosts             the leaf's subjectAltName DNS names
 * @param fingerprintSha256 lower-case hex SHA-256 of the leaf's DER encoding
 * @param keyType           e.g. {@code EC P-256}, {@code RSA 2048}
 * @param hasPrivateKey     a server/client certificate (true) or a trust bundle (false)
 * @param chainLength       certificates in the PEM, the leaf included
 * @param warnings          e.g. a leaf that expires within 30 days; empty when none
 */
public record CertificateInfo(String name, List<String> hosts, Instant notBefore, Instant notAfter, String issuer,
                              String subject, String fingerprintSha256, String keyType, boolean hasPrivateKey,
                              int chainLength, List<String> warnings) {
    public CertificateInfo {
        hosts = List.copyOf(hosts);
        warnings = List.copyOf(warnings);
    }
}
