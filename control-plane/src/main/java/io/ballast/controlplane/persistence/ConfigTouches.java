package io.ballast.controlplane.persistence;

import io.quarkus.arc.Arc;
import jakarta.transaction.TransactionScoped;
import java.io.Serializable;
import java.util.Set;
import java.util.TreeSet;

/**
 * The configuration items the current transaction inserted, updated or deleted, by name: what a write
 * changed, so the revision it records re-reads and re-serializes only those. Filled by the lifecycle
 * callbacks of every entity that feeds the snapshot ({@link VersionedEntity#touched}); a bulk JPQL or SQL
 * statement bypasses them, so config rows are written only entity by entity (the one bulk delete, of a
 * deleted pool's backends, goes with its pool's own removal). One instance per transaction; used by one
 * thread at a time.
 */
@TransactionScoped
public class ConfigTouches implements Serializable {
    private final Set<String> pools = new TreeSet<>();
    private final Set<Long> poolIds = new TreeSet<>();
    private final Set<String> routes = new TreeSet<>();
    private final Set<String> certificates = new TreeSet<>();

    /** The current transaction's instance (a client proxy: callers must be inside a transaction). */
    static ConfigTouches current() {
        return Arc.container().instance(ConfigTouches.class).get();
    }

    public void pool(String name) {
        pools.add(name);
    }

    /** A pool whose backends changed, known only by id (a backend row holds no pool name). */
    public void poolId(long id) {
        poolIds.add(id);
    }

    public void route(String name) {
        routes.add(name);
    }

    public void certificate(String name) {
        certificates.add(name);
    }

    /** What was touched so far, and a fresh start (a retried attempt must not inherit the last one's names). */
    public Touched drain() {
        Touched t = new Touched(Set.copyOf(pools), Set.copyOf(poolIds), Set.copyOf(routes), Set.copyOf(certificates));
        pools.clear();
        poolIds.clear();
        routes.clear();
        certificates.clear();
        return t;
    }

    /** Names (and pool ids) of touched items. */
    public record Touched(Set<String> pools, Set<Long> poolIds, Set<String> routes, Set<String> certificates) {
    }
}
