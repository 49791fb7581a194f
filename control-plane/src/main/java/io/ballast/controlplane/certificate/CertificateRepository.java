package io.ballast.controlplane.certificate;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Certificates by name, in name order. */
@ApplicationScoped
public class CertificateRepository implements PanacheRepository<CertificateEntity> {

    public Optional<CertificateEntity> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    public List<CertificateEntity> listAllByName() {
        return listAll(Sort.by("name"));
    }

    public List<CertificateEntity> page(String after, int limit) {
        return (after == null ? find("order by name") : find("name > ?1 order by name", after)).page(0, limit).list();
    }
}
