package io.ballast.model.validation;

import io.ballast.model.Certificate;
import io.ballast.model.tls.PemChain;
import java.util.ArrayList;
import java.util.List;

/**
 * What any holder of a snapshot can check about a certificate with the JDK alone: a slug name and a
 * PEM chain that parses. The control plane checks more before it accepts one (key, validity, chain
 * order, key strength), and a data plane that cannot load one refuses the snapshot. Stateless and
 * thread-safe.
 */
public final class CertificateValidator {
    /** A generous bound for a chain (a leaf and a few intermediates are a few KiB). */
    public static final int MAX_PEM_CHARS = 64 * 1024;

    private CertificateValidator() {
    }

    public static List<Violation> validate(Certificate certificate, String at) {
        List<Violation> out = new ArrayList<>();
        if (certificate.name() == null || !ModelValidator.SLUG.matcher(certificate.name()).matches()) {
            out.add(new Violation(at + "name", "must be a slug: lower-case letters, digits and '-', 1 to 63 characters"));
        }
        String pem = certificate.certificate();
        if (pem == null || pem.isBlank()) {
            out.add(new Violation(at + "certificate", "is required: a PEM chain, leaf first"));
        } else if (pem.length() > MAX_PEM_CHARS) {
            out.add(new Violation(at + "certificate", "must be at most " + MAX_PEM_CHARS + " characters"));
        } else {
            try {
                PemChain.parse(pem);
            } catch (IllegalArgumentException e) {
                out.add(new Violation(at + "certificate", "is not a PEM certificate chain: " + e.getMessage()));
            }
        }
        if (certificate.privateKey() != null && certificate.privateKey().length() > MAX_PEM_CHARS) {
            out.add(new Violation(at + "privateKey", "must be at most " + MAX_PEM_CHARS + " characters"));
        }
        return out;
    }
}
