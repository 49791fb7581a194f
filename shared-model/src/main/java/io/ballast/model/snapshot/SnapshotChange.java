package io.ballast.model.snapshot;

import io.ballast.model.Certificate;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Items to put into a snapshot (replacing any of the same name) and names to take out of it: what a
 * write changed, and what a {@code delta} frame carries. Immutable.
 *
 * @param pools               pools to add or replace, whole (with all their backends)
 * @param routes              routes to add or replace
 * @param certificates        certificates to add or replace (never holding a private key)
 * @param removedPools        names of pools to remove
 * @param removedRoutes       names of routes to remove
 * @param removedCertificates names of certificates to remove
 */
public record SnapshotChange(List<Pool> pools, List<Route> routes, List<Certificate> certificates,
                             Set<String> removedPools, Set<String> removedRoutes, Set<String> removedCertificates) {

    public static final SnapshotChange NONE = new SnapshotChange(null, null, null, null, null, null);

    public SnapshotChange {
        pools = pools == null ? List.of() : List.copyOf(pools);
        routes = routes == null ? List.of() : List.copyOf(routes);
        certificates = certificates == null ? List.of() : certificates.stream().map(Certificate::withoutPrivateKey).toList();
        // Sorted, so a change (and a delta frame) always writes the same bytes.
        removedPools = removedPools == null ? Set.of() : java.util.Collections.unmodifiableSortedSet(new TreeSet<>(removedPools));
        removedRoutes = removedRoutes == null ? Set.of() : java.util.Collections.unmodifiableSortedSet(new TreeSet<>(removedRoutes));
        removedCertificates = removedCertificates == null ? Set.of()
                : java.util.Collections.unmodifiableSortedSet(new TreeSet<>(removedCertificates));
    }

    /** How many items it puts or removes. */
    public int size() {
        return pools.size() + routes.size() + certificates.size()
                + removedPools.size() + removedRoutes.size() + removedCertificates.size();
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isEmpty() {
        return size() == 0;
    }
}
