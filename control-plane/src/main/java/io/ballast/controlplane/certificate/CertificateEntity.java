package io.ballast.controlplane.certificate;

import io.ballast.controlplane.persistence.VersionedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A row of {@code certificates}: the public chain only; the key is in {@link CertificateKeyEntity}. */
@Entity
@Table(name = "certificates")
public class CertificateEntity extends VersionedEntity {
    @Column(nullable = false, unique = true, length = 63)
    public String name;

    @Column(nullable = false, columnDefinition = "text")
    public String pem;

    @Column(name = "has_private_key", nullable = false)
    public boolean hasPrivateKey;

    @Override
    protected void touched(io.ballast.controlplane.persistence.ConfigTouches touches) {
        touches.certificate(name);
    }
}
