package io.ballast.controlplane.certificate;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A sealed private key (see {@link SecretBox}), found by the SHA-256 fingerprint of its certificate's leaf. */
@Entity
@Table(name = "certificate_keys")
public class CertificateKeyEntity extends PanacheEntityBase {
    @Id
    @Column(length = 64)
    public String fingerprint;

    @Column(nullable = false)
    public byte[] sealed;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Never prints the sealed bytes. */
    @Override
    public String toString() {
        return "CertificateKeyEntity[" + fingerprint + "]";
    }
}
