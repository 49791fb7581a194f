package io.ballast.controlplane.config;

import io.ballast.controlplane.certificate.CertificateService;
import io.ballast.controlplane.persistence.PoolRepository;
import io.ballast.controlplane.persistence.RouteEntity;
import io.ballast.controlplane.persistence.RouteRepository;
import io.ballast.controlplane.revision.Change;
import io.ballast.controlplane.revision.ConfigWriter;
import io.ballast.controlplane.revision.RevisionQueries;
import io.ballast.controlplane.revision.SafetyRails;
import io.ballast.controlplane.revision.SnapshotReader;
import io.ballast.model.Backend;
import io.ballast.model.Certificate;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.snapshot.SnapshotDiff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The declarative side of the API: export the whole configuration, check a file, and apply one
 * (optionally as a dry run, optionally pruning what it does not name) in a single transaction.
 * Rollback to a revision is an apply of that revision's snapshot with pruning. Thread-safe (stateless).
 *
 * <p>Without pruning a file only creates and updates: pools, backends of the pools it names, and
 * routes that it does not mention stay as they are. Resources are matched by name (backends by name
 * within their pool), so applying a file that describes the current state changes nothing and
 * records no revision.
 */
@ApplicationScoped
public class DeclarativeConfig {
    private final SnapshotReader reader;
    private final ConfigWriter writer;
    private final RevisionQueries revisions;
    private final Validation validation;
    private final PoolRepository pools;
    private final RouteRepository routes;
    private final PoolRows poolRows;
    private final CertificateService certificates;

    DeclarativeConfig(SnapshotReader reader, ConfigWriter writer, RevisionQueries revisions, Validation validation,
                      PoolRepository pools, RouteRepository routes, PoolRows poolRows, CertificateService certificates) {
        this.certificates = certificates;
        this.reader = reader;
        this.writer = writer;
        this.revisions = revisions;
        this.validation = validation;
        this.pools = pools;
        this.routes = routes;
        this.poolRows = poolRows;
    }

    /**
     * The configuration of the latest revision (which is what the rows say, since every write records
     * one in the same transaction), so the export and its revision number always belong together.
     */
    @Transactional
    public Export export() {
        return revisions.latestConfig()
                .map(s -> new Export(s.config().canonical(), s.revision()))
                .orElse(new Export(ConfigSnapshot.EMPTY, 0));
    }

    /**
     * Checks {@code file} as an apply would, against the current configuration, without writing
     * (safety rails excepted: they depend on the caller's {@code force}).
     *
     * @return what applying it would change
     * @throws io.ballast.model.validation.InvalidConfigException with paths such as {@code pools[2].backends[0].port}
     */
    @Transactional
    public SnapshotDiff validate(ConfigSnapshot file, boolean prune) {
        ConfigSnapshot current = reader.current();
        return SnapshotDiff.between(current, plan(current, file, prune));
    }

    /**
     * Applies {@code file} in one transaction, recording one revision if anything changed.
     *
     * @param onRevision If-Match on the latest revision number: refuses to apply over a newer revision
     */
    public Applied apply(Change change, ConfigSnapshot file, boolean prune, Precondition onRevision) {
        ConfigWriter.Written<SnapshotDiff> written = writer.writeRecorded(change, () -> {
            onRevision.check(latestRevision(), "the configuration");
            ConfigSnapshot current = reader.current();
            ConfigSnapshot desired = plan(current, file, prune);
            reconcile(current, desired);
            return SnapshotDiff.between(current, desired);
        });
        return new Applied(false, written.revision(), written.recorded(), written.result());
    }

    /** Goes through every check {@link #apply} makes (validation, If-Match, safety rails) and writes nothing. */
    @Transactional
    public Applied dryRun(Change change, ConfigSnapshot file, boolean prune, Precondition onRevision) {
        // The same lock as a write: the plan is then exactly what an apply at this moment would do.
        writer.lock();
        long latest = latestRevision();
        onRevision.check(latest, "the configuration");
        ConfigSnapshot current = reader.current();
        ConfigSnapshot desired = plan(current, file, prune);
        SafetyRails.check(current, desired, change.force());
        SnapshotDiff diff = SnapshotDiff.between(current, desired);
        return new Applied(true, latest, false, diff);
    }

    /** The configuration the file asks for, validated; paths of violations point into the file. */
    private ConfigSnapshot plan(ConfigSnapshot current, ConfigSnapshot file, boolean prune) {
        ConfigSnapshot desired = prune ? file : merge(current, file);
        validation.requireValid(desired);
        // The file's certificates (first in a merged plan, so the indices are the file's) get every
        // check a certificate write gets; the others are the stored ones, checked when written.
        certificates.checkAll(desired.certificates().subList(0, file.certificates().size()));
        return desired;
    }

    /**
     * The file's resources first and in the file's order (so a violation's index is the file's),
     * then whatever the file does not name.
     */
    static ConfigSnapshot merge(ConfigSnapshot current, ConfigSnapshot file) {
        Set<String> filePools = file.pools().stream().map(Pool::name).collect(Collectors.toSet());
        List<Pool> mergedPools = new ArrayList<>();
        for (Pool wanted : file.pools()) {
            Pool existing = wanted.name() == null ? null : current.pool(wanted.name());
            if (existing == null) {
                mergedPools.add(wanted);
                continue;
            }
            Set<String> named = wanted.backends().stream().map(Backend::name).collect(Collectors.toSet());
            List<Backend> backends = new ArrayList<>(wanted.backends());
            existing.backends().stream().filter(b -> !named.contains(b.name())).forEach(backends::add);
            mergedPools.add(wanted.withBackends(backends));
        }
        current.pools().stream().filter(p -> !filePools.contains(p.name())).forEach(mergedPools::add);
        Set<String> fileRoutes = file.routes().stream().map(Route::name).collect(Collectors.toSet());
        List<Route> mergedRoutes = new ArrayList<>(file.routes());
        current.routes().stream().filter(r -> !fileRoutes.contains(r.name())).forEach(mergedRoutes::add);
        Set<String> fileCertificates = file.certificates().stream().map(Certificate::name).collect(Collectors.toSet());
        List<Certificate> mergedCertificates = new ArrayList<>(file.certificates());
        current.certificates().stream().filter(c -> !fileCertificates.contains(c.name())).forEach(mergedCertificates::add);
        return new ConfigSnapshot(mergedPools, mergedRoutes, mergedCertificates);
    }

    /**
     * Makes the rows say exactly {@code desired}, touching only what differs from {@code current} (which
     * is what the rows say): re-applying a 1 000-pool file that changes one backend reads and writes that
     * pool's rows, not every pool's (each costs two queries).
     */
    private void reconcile(ConfigSnapshot current, ConfigSnapshot desired) {
        Map<String, Pool> currentPools = byName(current.pools(), Pool::name);
        Map<String, Pool> desiredPools = byName(desired.pools(), Pool::name);
        Map<String, Route> currentRoutes = byName(current.routes(), Route::name);
        Map<String, Route> desiredRoutes = byName(desired.routes(), Route::name);
        for (String gone : currentRoutes.keySet()) {
            if (!desiredRoutes.containsKey(gone)) {
                routes.findByName(gone).ifPresent(routes::delete);
            }
        }
        routes.flush();
        for (String gone : currentPools.keySet()) {
            if (!desiredPools.containsKey(gone)) {
                pools.findByName(gone).ifPresent(poolRows::delete);
            }
        }
        pools.flush();
        for (Pool pool : desired.pools()) {
            if (pool.equals(currentPools.get(pool.name()))) {
                continue;
            }
            pools.findByName(pool.name()).ifPresentOrElse(row -> poolRows.update(row, pool), () -> poolRows.insert(pool));
        }
        pools.flush();
        for (Route route : desired.routes()) {
            if (route.equals(currentRoutes.get(route.name()))) {
                continue;
            }
            RouteEntity row = routes.findByName(route.name()).orElseGet(() -> {
                RouteEntity created = new RouteEntity();
                created.name = route.name();
                return created;
            });
            RouteService.copy(route, row);
            if (row.id == null) {
                routes.persist(row);
            }
        }
        certificates.reconcile(desired.certificates());
    }

    private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
        Map<String, T> map = new LinkedHashMap<>();
        items.forEach(item -> map.put(name.apply(item), item));
        return map;
    }

    private long latestRevision() {
        return revisions.latestNumber();
    }

    /** The exported configuration and the revision it is. */
    public record Export(ConfigSnapshot config, long revision) {
    }

    /**
     * @param dryRun   nothing was written
     * @param revision the revision in effect afterwards (for a dry run: the one the plan was made against)
     * @param recorded true when this apply recorded {@code revision}; false when nothing changed or a dry run
     * @param diff     what changed (or, for a dry run, would change)
     */
    public record Applied(boolean dryRun, long revision, boolean recorded, SnapshotDiff diff) {
    }
}
