package io.ballast.model.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.model.Algorithm;
import io.ballast.model.Backend;
import io.ballast.model.HealthCheck;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ConfigSnapshotTest {

    private static ConfigSnapshot sample(long shuffleSeed) {
        List<Backend> web = new ArrayList<>(List.of(Backend.of("10.0.0.11", 8080), Backend.of("10.0.0.12", 8080).withWeight(50),
                Backend.of("10.0.0.13", 8080)));
        List<Backend> api = new ArrayList<>(List.of(Backend.of("10.0.1.1", 9000), Backend.of("10.0.1.2", 9000)));
        Random random = new Random(shuffleSeed);
        Collections.shuffle(web, random);
        Collections.shuffle(api, random);
        List<Pool> pools = new ArrayList<>(List.of(
                Pool.named("web").withAlgorithm(Algorithm.LEAST_REQUESTS).withBackends(web),
                Pool.named("api").withBackends(api)));
        List<String> hosts = new ArrayList<>(List.of("shop.example.com", "*.shop.example.com"));
        Collections.shuffle(hosts, random);
        List<Route> routes = new ArrayList<>(List.of(
                Route.of("site", "web").withHosts(hosts),
                Route.of("api", "api").withPathPrefix("/api")));
        Collections.shuffle(pools, random);
        Collections.shuffle(routes, random);
        return new ConfigSnapshot(pools, routes);
    }

    @Property(tries = 50)
    void equalConfigsBuiltInDifferentOrdersHashTheSame(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        assertThat(sample(seed).hash()).isEqualTo(sample(0).hash());
        assertThat(sample(seed).canonicalJson()).isEqualTo(sample(0).canonicalJson());
    }

    @Test
    void anyChangedFieldChangesTheHash() {
        ConfigSnapshot base = sample(1);
        Pool web = base.pool("web");
        List<Pool> pools = new ArrayList<>(base.pools());
        pools.set(pools.indexOf(web), web.withHealthCheck(new HealthCheck(null, null, "/healthz", null, null,
                Duration.ofSeconds(2), null, null, null, null, null)));
        assertThat(new ConfigSnapshot(pools, base.routes()).hash()).isNotEqualTo(base.hash());
    }

    @Test
    void explicitDefaultsHashLikeOmittedOnes() {
        Pool implicit = Pool.named("web");
        Pool explicit = Pool.builder("web").algorithm(Algorithm.ROUND_ROBIN).healthCheck(HealthCheck.DEFAULT)
                .panicThresholdPercent(50).slowStart(Duration.ZERO).backends(List.of()).build();
        assertThat(new ConfigSnapshot(List.of(explicit), List.of()).hash())
                .isEqualTo(new ConfigSnapshot(List.of(implicit), List.of()).hash());
    }

    @Test
    void canonicalJsonRoundTripsToAnEqualSnapshot() {
        ConfigSnapshot original = sample(7).canonical();
        ConfigSnapshot copy = ConfigSnapshot.fromJson(original.canonicalJson());
        assertThat(copy).isEqualTo(original);
        assertThat(copy.hash()).isEqualTo(original.hash());
        assertThat(original.canonicalJson()).contains("\"interval\":\"5s\"").contains("\"algorithm\":\"least-requests\"");
    }

    @Test
    void hashIsLowerCaseHexSha256() {
        assertThat(ConfigSnapshot.EMPTY.hash()).matches("[0-9a-f]{64}");
        assertThat(ConfigSnapshot.sha256("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
