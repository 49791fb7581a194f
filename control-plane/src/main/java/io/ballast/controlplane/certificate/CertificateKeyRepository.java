package io.ballast.controlplane.certificate;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Sealed keys by leaf fingerprint. Rows are kept (revisions may name their certificates again on rollback). */
@ApplicationScoped
public class CertificateKeyRepository implements PanacheRepositoryBase<CertificateKeyEntity, String> {
}
