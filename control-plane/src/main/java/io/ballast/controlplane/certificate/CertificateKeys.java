package io.ballast.controlplane.certificate;

import io.ballast.model.Certificate;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.tls.PemChain;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Private keys at rest: sealed with {@link SecretBox} and found by their leaf's fingerprint. Keys are
 * opened only to be handed to data planes with a snapshot ({@link #privateKeysFor}) or to check a
 * certificate that names a stored key. Thread-safe.
 */
@ApplicationScoped
public class CertificateKeys {
    private static final Logger LOG = Logger.getLogger(CertificateKeys.class);

    private final CertificateKeyRepository keys;
    private final SecretBox box;

    CertificateKeys(CertificateKeyRepository keys,
                    @ConfigProperty(name = "ballast.secret-key") Optional<String> secretKey,
                    @ConfigProperty(name = "ballast.data-dir") Path dataDir) {
        this.keys = keys;
        this.box = SecretBox.open(secretKey, dataDir);
    }

    /**
     * The secret data planes derive their TLS session-ticket keys from (base64 of 32 bytes), derived from the master
     * key, so every control-plane instance sends the same one and a session resumes on any data plane. Rotation
     * happens on the data planes (a new key every 12 h from this secret); changing the master key changes it.
     */
    public String sessionTicketSecret() {
        return java.util.Base64.getEncoder().encodeToString(box.derive("ballast session tickets v1"));
    }

    /** Seals and stores the PKCS#8 PEM key of the certificate whose leaf has {@code fingerprint}, replacing an older one. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void store(String fingerprint, String pkcs8) {
        byte[] sealed = box.seal(pkcs8.getBytes(StandardCharsets.US_ASCII), fingerprint);
        CertificateKeyEntity row = keys.findById(fingerprint);
        if (row == null) {
            row = new CertificateKeyEntity();
            row.fingerprint = fingerprint;
            row.createdAt = Instant.now();
            row.sealed = sealed;
            keys.persist(row);
        } else {
            row.sealed = sealed;
        }
    }

    /** The stored PKCS#8 PEM key for the leaf with this fingerprint, or null. */
    @Transactional
    public String find(String fingerprint) {
        if (fingerprint == null) {
            return null;
        }
        CertificateKeyEntity row = keys.findById(fingerprint);
        return row == null ? null : new String(box.open(row.sealed, fingerprint), StandardCharsets.US_ASCII);
    }

    /** The keys data planes need for {@code snapshot}, by certificate name (PKCS#8 PEM). */
    @Transactional
    public Map<String, String> privateKeysFor(ConfigSnapshot snapshot) {
        Map<String, String> out = new HashMap<>();
        for (Certificate c : snapshot.certificates()) {
            if (!c.hasPrivateKey()) {
                continue;
            }
            String fingerprint = PemChain.leafFingerprintOrNull(c.certificate());
            try {
                String key = find(fingerprint);
                if (key != null) {
                    out.put(c.name(), key);
                } else {
                    // The data plane refuses such a snapshot (nack) and keeps its last good one.
                    LOG.warnf("No stored private key for certificate '%s' (fingerprint %s)", c.name(), fingerprint);
                }
            } catch (IllegalStateException e) {
                LOG.errorf("The private key of certificate '%s' cannot be opened: %s", c.name(), e.getMessage());
            }
        }
        return out;
    }
}
