package io.ballast.controlplane.revision;

import io.ballast.controlplane.certificate.CertificateRepository;
import io.ballast.controlplane.certificate.CertificateService;
import io.ballast.controlplane.persistence.BackendEntity;
import io.ballast.controlplane.persistence.BackendRepository;
import io.ballast.controlplane.persistence.ConfigRows;
import io.ballast.controlplane.persistence.PoolRepository;
import io.ballast.controlplane.persistence.RouteRepository;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds the complete configuration as it stands in the current transaction. */
@ApplicationScoped
public class SnapshotReader {
    private final PoolRepository pools;
    private final BackendRepository backends;
    private final RouteRepository routes;
    private final CertificateRepository certificates;

    SnapshotReader(PoolRepository pools, BackendRepository backends, RouteRepository routes, CertificateRepository certificates) {
        this.pools = pools;
        this.backends = backends;
        this.routes = routes;
        this.certificates = certificates;
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
}
