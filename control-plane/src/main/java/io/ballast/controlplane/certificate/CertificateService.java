package io.ballast.controlplane.certificate;

import io.ballast.controlplane.config.Precondition;
import io.ballast.controlplane.config.ResourceConflictException;
import io.ballast.controlplane.config.ResourceNotFoundException;
import io.ballast.controlplane.config.Versioned;
import io.ballast.controlplane.revision.Change;
import io.ballast.controlplane.revision.ConfigWriter;
import io.ballast.model.Certificate;
import io.ballast.model.tls.PemChain;
import io.ballast.model.validation.InvalidConfigException;
import io.ballast.model.validation.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;

/**
 * Certificates as configuration: every write is checked by {@link CertificateInspector}, seals its key
 * and records a revision like any pool or route change (so it is pushed, diffed and rolled back).
 * A refused write changes nothing. Thread-safe (stateless).
 */
@ApplicationScoped
public class CertificateService {
    private final CertificateRepository certificates;
    private final CertificateKeys keys;
    private final ConfigWriter writer;
    private final Clock clock = Clock.systemUTC();

    CertificateService(CertificateRepository certificates, CertificateKeys keys, ConfigWriter writer) {
        this.certificates = certificates;
        this.keys = keys;
        this.writer = writer;
    }

    @Transactional
    public List<CertificateInfo> list(String after, int limit) {
        return certificates.page(after, limit).stream().map(this::describe).toList();
    }

    @Transactional
    public Versioned<CertificateInfo> get(String name) {
        CertificateEntity row = require(name);
        return new Versioned<>(describe(row), row.version);
    }

    /** Every certificate as snapshots hold it (no key), in name order. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Certificate> all() {
        return certificates.listAllByName().stream().map(CertificateService::model).toList();
    }

    public Versioned<CertificateInfo> create(Change change, Certificate body) {
        return writer.write(change.describedAs("create certificate " + body.name()), () -> {
            CertificateInspector.Inspected checked = check(body, "");
            if (certificates.findByName(body.name()).isPresent()) {
                throw new ResourceConflictException("certificate '" + body.name() + "' already exists");
            }
            CertificateEntity row = new CertificateEntity();
            row.name = body.name();
            copy(body, checked, row);
            certificates.persist(row);
            return versioned(row, checked);
        });
    }

    /** Replaces the chain (and key): a rotation. */
    public Versioned<CertificateInfo> replace(Change change, String name, Certificate body, Precondition precondition) {
        if (body.name() != null && !body.name().equals(name)) {
            throw new InvalidConfigException(List.of(new Violation("name", "must match the name in the path ('" + name
                    + "'); renaming is not supported, create a new certificate instead")));
        }
        Certificate named = body.withName(name);
        return writer.write(change.describedAs("update certificate " + name), () -> {
            CertificateEntity row = require(name);
            precondition.check(row.version, "certificate '" + name + "'");
            CertificateInspector.Inspected checked = check(named, "");
            copy(named, checked, row);
            return versioned(row, checked);
        });
    }

    public void delete(Change change, String name, Precondition precondition) {
        writer.write(change.describedAs("delete certificate " + name), () -> {
            CertificateEntity row = require(name);
            precondition.check(row.version, "certificate '" + name + "'");
            certificates.delete(row);
            return null;
        });
    }

    /**
     * Checks a certificate (a body, or one of a declarative file's, with {@code at} pointing into it)
     * and seals and stores the key it gives.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public CertificateInspector.Inspected check(Certificate c, String at) {
        CertificateInspector.Inspected checked = inspect(c, at);
        if (checked.pkcs8() != null && c.privateKey() != null) {
            keys.store(checked.info().fingerprintSha256(), checked.pkcs8());
        }
        return checked;
    }

    /**
     * Checks every certificate of a declarative file without storing anything; violations of all of
     * them at once, with paths such as {@code certificates[2].privateKey}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void checkAll(List<Certificate> file) {
        List<Violation> out = new java.util.ArrayList<>();
        for (int i = 0; i < file.size(); i++) {
            try {
                inspect(file.get(i), "certificates[" + i + "].");
            } catch (InvalidConfigException e) {
                out.addAll(e.violations());
            }
        }
        if (!out.isEmpty()) {
            throw new InvalidConfigException(out);
        }
    }

    /** Makes the rows say exactly {@code desired} (checked already), storing the keys it gives. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reconcile(List<Certificate> desired) {
        java.util.Set<String> wanted = new java.util.HashSet<>();
        desired.forEach(c -> wanted.add(c.name()));
        for (CertificateEntity row : certificates.listAllByName()) {
            if (!wanted.contains(row.name)) {
                certificates.delete(row);
            }
        }
        for (int i = 0; i < desired.size(); i++) {
            Certificate c = desired.get(i);
            CertificateInspector.Inspected checked = check(c, "certificates[" + i + "].");
            CertificateEntity row = certificates.findByName(c.name()).orElseGet(() -> {
                CertificateEntity created = new CertificateEntity();
                created.name = c.name();
                return created;
            });
            copy(c, checked, row);
            if (row.id == null) {
                certificates.persist(row);
            }
        }
        certificates.flush();
    }

    private CertificateInspector.Inspected inspect(Certificate c, String at) {
        String stored = null;
        if (c.hasPrivateKey() && c.privateKey() == null) {
            stored = keys.find(PemChain.leafFingerprintOrNull(c.certificate()));
        }
        return CertificateInspector.inspect(c, stored, at, clock.instant());
    }

    /** Makes {@code row} hold {@code c} (already checked); touches it only on a real change, so its version stays. */
    static void copy(Certificate c, CertificateInspector.Inspected checked, CertificateEntity row) {
        String pem = normalized(c.certificate());
        if (!pem.equals(row.pem) || row.hasPrivateKey != checked.info().hasPrivateKey()) {
            row.pem = pem;
            row.hasPrivateKey = checked.info().hasPrivateKey();
        }
    }

    /** The chain re-encoded block by block, so the same certificates always store (and hash) the same. */
    static String normalized(String pem) {
        StringBuilder out = new StringBuilder();
        PemChain.parse(pem).forEach(cert -> out.append(PemChain.toPem(cert)));
        return out.toString();
    }

    /** A row as snapshots hold it: the chain and whether it has a key, never the key. */
    public static Certificate model(CertificateEntity row) {
        return new Certificate(row.name, row.pem, row.hasPrivateKey, null);
    }

    private CertificateInfo describe(CertificateEntity row) {
        return CertificateInspector.describe(row.name, row.pem, row.hasPrivateKey, clock.instant());
    }

    private Versioned<CertificateInfo> versioned(CertificateEntity row, CertificateInspector.Inspected checked) {
        certificates.flush();
        return new Versioned<>(checked.info(), row.version);
    }

    private CertificateEntity require(String name) {
        return certificates.findByName(name)
                .orElseThrow(() -> new ResourceNotFoundException("certificate '" + name + "' does not exist"));
    }
}
