package io.ballast.controlplane.revision;

import io.ballast.controlplane.certificate.CertificateRepository;
import io.ballast.controlplane.certificate.CertificateService;
import io.ballast.controlplane.persistence.BackendEntity;
import io.ballast.controlplane.persistence.BackendRepository;
import io.ballast.controlplane.persistence.ConfigRows;
import io.ballast.controlplane.persistence.ConfigTouches;
import io.ballast.controlplane.persistence.PoolEntity;
import io.ballast.controlplane.persistence.PoolRepository;
import io.ballast.controlplane.persistence.RouteEntity;
import io.ballast.controlplane.persistence.RouteRepository;
import io.ballast.model.Certificate;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.snapshot.SnapshotChange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Builds the configuration as it stands in the current transaction: all of it, or the items a write touched. */
@ApplicationScoped
public class SnapshotReader {
    private final PoolRepository pools;
    private final BackendRepository backends;
    private final RouteRepository routes;
    private final CertificateRepository certificates;
    private final EntityManager em;

    SnapshotReader(PoolRepository pools, BackendRepository backends, RouteRepository routes, CertificateRepository certificates,
                   EntityManager em) {
        this.pools = pools;
        this.backends = backends;
        this.routes = routes;
        this.certificates = certificates;
        this.em = em;
    }

    public ConfigSnapshot current() {
        Map<Long, List<BackendEntity>> byPool = backends.listAllOrdered().stream()
                .collect(Collectors.groupingBy(b -> b.poolId));
        List<Pool> allPools = pools.listAllByName().stream()
                .map(p -> ConfigRows.pool(p, byPool.getOrDefault(p.id, List.of())))
                .toList();
        List<Route> allRoutes = routes.listAllByName().stream().map(ConfigRows::route).toList();
        return new ConfigSnapshot(allPools, allRoutes,
                certificates.listAllByName().stream().map(CertificateService::model).toList());
    }

    /**
     * The touched items as they stand now: each one that still exists is put, each one that is gone is
     * removed. Names never change after creation, so a name identifies an item across revisions.
     */
    public SnapshotChange touched(ConfigTouches.Touched touched) {
        Set<String> poolNames = new TreeSet<>(touched.pools());
        for (Long id : touched.poolIds()) {
            // A pool deleted with its backends reported its own name.
            Optional.ofNullable(pools.findById(id)).ifPresent(p -> poolNames.add(p.name));
        }
        List<Pool> put = new ArrayList<>();
        Set<String> removed = new TreeSet<>();
        for (String name : poolNames) {
            Optional<PoolEntity> row = pools.findByName(name);
            if (row.isPresent()) {
                put.add(ConfigRows.pool(row.get(), backends.listByPool(row.get().id)));
            } else {
                removed.add(name);
            }
        }
        List<Route> putRoutes = new ArrayList<>();
        Set<String> removedRoutes = new TreeSet<>();
        for (String name : touched.routes()) {
            Optional<RouteEntity> row = routes.findByName(name);
            row.map(ConfigRows::route).ifPresentOrElse(putRoutes::add, () -> removedRoutes.add(name));
        }
        List<Certificate> putCertificates = new ArrayList<>();
        Set<String> removedCertificates = new TreeSet<>();
        for (String name : touched.certificates()) {
            certificates.findByName(name).map(CertificateService::model)
                    .ifPresentOrElse(putCertificates::add, () -> removedCertificates.add(name));
        }
        return new SnapshotChange(put, putRoutes, putCertificates, removed, removedRoutes, removedCertificates);
    }

    /** How many pools, backends, routes and certificates the rows hold: a cheap check of an incremental result. */
    public Counts counts() {
        Object[] row = (Object[]) em.createNativeQuery("SELECT (SELECT count(*) FROM pools), (SELECT count(*) FROM backends),"
                + " (SELECT count(*) FROM routes), (SELECT count(*) FROM certificates)").getSingleResult();
        return new Counts(((Number) row[0]).intValue(), ((Number) row[1]).intValue(), ((Number) row[2]).intValue(),
                ((Number) row[3]).intValue());
    }

    /** Row counts. */
    public record Counts(int pools, int backends, int routes, int certificates) {
    }
}
