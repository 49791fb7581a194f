package io.ballast.model.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ballast.model.AdminState;
import io.ballast.model.Algorithm;
import io.ballast.model.Backend;
import io.ballast.model.Certificate;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The index must be byte for byte the canonical snapshot: for random configs and random sequences of
 * changes, the bytes and hash assembled from fragments equal {@link ConfigSnapshot#canonicalJson()} and
 * {@link ConfigSnapshot#hash()} of the same config built whole, and a delta computed between two
 * indexes turns the one into the other.
 */
class SnapshotIndexTest {
    private static final List<String> NAMES = List.of("a", "b", "c", "web-1", "web-10", "web-2", "z", "\u00e9t\u00e9");

    @Property(tries = 200)
    void incrementalEqualsWhole(@ForAll("snapshots") ConfigSnapshot start, @ForAll("changeLists") List<SnapshotChange> changes) {
        SnapshotIndex index = SnapshotIndex.of(start);
        Model whole = new Model(start);
        assertSame(index, whole.snapshot());
        for (SnapshotChange change : changes) {
            SnapshotIndex before = index;
            index = index.apply(change);
            whole.apply(change);
            assertSame(index, whole.snapshot());
            SnapshotChange delta = index.changesSince(before);
            SnapshotIndex replayed = before.apply(delta);
            assertThat(replayed.canonicalJson()).isEqualTo(index.canonicalJson());
            assertThat(delta.size()).isLessThanOrEqualTo(change.size());
        }
    }

    private static void assertSame(SnapshotIndex index, ConfigSnapshot whole) {
        assertThat(index.canonicalJson()).isEqualTo(whole.canonicalJson());
        assertThat(index.hash()).isEqualTo(whole.hash());
        assertThat(index.snapshot().canonicalJson()).isEqualTo(whole.canonicalJson());
        assertThat(SnapshotIndex.of(whole).hash()).isEqualTo(index.hash());
    }

    @Test
    void emptyAndCertificateFreeSnapshotsKeepTheirBytes() {
        assertThat(SnapshotIndex.EMPTY.canonicalJson()).isEqualTo(ConfigSnapshot.EMPTY.canonicalJson());
        ConfigSnapshot one = new ConfigSnapshot(List.of(Pool.named("web").withBackends(List.of(Backend.of("10.0.0.1", 80)))),
                List.of(Route.of("site", "web")));
        assertThat(SnapshotIndex.of(one).canonicalJson()).isEqualTo(one.canonicalJson()).doesNotContain("certificates");
    }

    @Test
    void anUnchangedItemIsNotADelta() {
        SnapshotIndex base = SnapshotIndex.of(new ConfigSnapshot(List.of(Pool.named("a"), Pool.named("b")), List.of()));
        SnapshotIndex same = base.apply(new SnapshotChange(List.of(Pool.named("b")), null, null, null, null, null));
        assertThat(same.changesSince(base).isEmpty()).isTrue();
        SnapshotIndex other = base.apply(new SnapshotChange(List.of(Pool.named("b").withAlgorithm(Algorithm.LEAST_REQUESTS)),
                null, null, Set.of("a"), null, null));
        SnapshotChange delta = other.changesSince(base);
        assertThat(delta.pools()).extracting(Pool::name).containsExactly("b");
        assertThat(delta.removedPools()).containsExactly("a");
    }

    @Test
    void duplicateOrMissingNamesAreRefused() {
        assertThatThrownBy(() -> SnapshotIndex.of(new ConfigSnapshot(List.of(Pool.named("a"), Pool.named("a")), List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a'");
        assertThatThrownBy(() -> SnapshotIndex.of(new ConfigSnapshot(List.of(Pool.named(null)), List.of())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void privateKeysNeverReachTheBytes() {
        Certificate withKey = new Certificate("tls", "PEM", null, "SECRET KEY");
        SnapshotIndex index = SnapshotIndex.EMPTY.apply(new SnapshotChange(null, null, List.of(withKey), null, null, null));
        assertThat(index.canonicalJson()).doesNotContain("SECRET").contains("\"hasPrivateKey\":true");
        assertThat(index.hash()).isEqualTo(new ConfigSnapshot(List.of(), List.of(), List.of(withKey)).hash());
    }

    /** The same config kept the plain way: whole lists, replaced by name. */
    private static final class Model {
        private final Map<String, Pool> pools = new LinkedHashMap<>();
        private final Map<String, Route> routes = new LinkedHashMap<>();
        private final Map<String, Certificate> certificates = new LinkedHashMap<>();

        Model(ConfigSnapshot s) {
            s.pools().forEach(p -> pools.put(p.name(), p));
            s.routes().forEach(r -> routes.put(r.name(), r));
            s.certificates().forEach(c -> certificates.put(c.name(), c));
        }

        void apply(SnapshotChange c) {
            c.removedPools().forEach(pools::remove);
            c.removedRoutes().forEach(routes::remove);
            c.removedCertificates().forEach(certificates::remove);
            c.pools().forEach(p -> pools.put(p.name(), p));
            c.routes().forEach(r -> routes.put(r.name(), r));
            c.certificates().forEach(x -> certificates.put(x.name(), x));
        }

        ConfigSnapshot snapshot() {
            return new ConfigSnapshot(new ArrayList<>(pools.values()), new ArrayList<>(routes.values()),
                    new ArrayList<>(certificates.values()));
        }
    }

    @Provide
    Arbitrary<ConfigSnapshot> snapshots() {
        return Combinators.combine(unique(pool(), Pool::name), unique(route(), Route::name), unique(certificate(), Certificate::name))
                .as(ConfigSnapshot::new);
    }

    @Provide
    Arbitrary<List<SnapshotChange>> changeLists() {
        Arbitrary<Set<String>> removed = Arbitraries.of(NAMES).set().ofMaxSize(2);
        Arbitrary<SnapshotChange> change = Combinators.combine(unique(pool(), Pool::name), unique(route(), Route::name),
                        unique(certificate(), Certificate::name), removed, removed, removed)
                .as(SnapshotChange::new);
        return change.list().ofMaxSize(6);
    }

    private static <T> Arbitrary<List<T>> unique(Arbitrary<T> items, Function<T, String> name) {
        return items.list().ofMaxSize(4).uniqueElements(name);
    }

    private static Arbitrary<Pool> pool() {
        Arbitrary<Backend> backend = Combinators.combine(
                        Arbitraries.of("10.0.0.1", "10.0.0.2", "backend.example", "::1"), Arbitraries.integers().between(1, 65535),
                        Arbitraries.integers().between(0, 1000), Arbitraries.of(AdminState.class))
                .as((host, port, weight, state) -> new Backend(null, host, port, weight, state, null));
        return Combinators.combine(Arbitraries.of(NAMES), Arbitraries.of(Algorithm.class),
                        Arbitraries.strings().ofMaxLength(8).injectNull(0.5), backend.list().ofMaxSize(5).uniqueElements(Backend::name))
                .as((name, algorithm, description, backends) -> Pool.builder(name).description(description).algorithm(algorithm)
                        .labels(description == null ? null : Map.of("team", description)).backends(backends).build());
    }

    private static Arbitrary<Route> route() {
        return Combinators.combine(Arbitraries.of(NAMES), Arbitraries.of("shop.example.com", "*.Example.com", "*", "b.example")
                                .list().ofMaxSize(3).injectNull(0.3),
                        Arbitraries.of("/", "/api", "/\u00fcber"), Arbitraries.integers().between(-5, 5), Arbitraries.of(NAMES))
                .as((name, hosts, prefix, priority, pool) -> new Route(name, hosts, prefix, priority, pool, priority % 2 == 0));
    }

    private static Arbitrary<Certificate> certificate() {
        return Combinators.combine(Arbitraries.of(NAMES), Arbitraries.strings().alpha().ofMaxLength(12),
                        Arbitraries.of("KEY").injectNull(0.5))
                .as((name, pem, key) -> new Certificate(name, pem, null, key));
    }
}
