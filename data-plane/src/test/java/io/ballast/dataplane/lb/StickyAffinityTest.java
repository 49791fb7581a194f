package io.ballast.dataplane.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.model.Algorithm;
import java.util.List;
import org.junit.jupiter.api.Test;

class StickyAffinityTest {
    private final TestEndpoint a = TestEndpoint.of("a");
    private final TestEndpoint b = TestEndpoint.of("b");
    private final TestEndpoint c = TestEndpoint.of("c");

    @Test
    void aCookieNamingACandidateKeepsTheClientThere() {
        LoadBalancer lb = LoadBalancer.stickyCookie(LoadBalancer.roundRobin());
        RequestKey toB = RequestKey.of(null, b.affinityId());
        for (int i = 0; i < 10; i++) {
            assertThat(lb.select(List.of(a, b, c), toB)).isSameAs(b);
        }
    }

    @Test
    void fallsBackWhenTheNamedBackendIsNoLongerACandidate() {
        // b is unhealthy (or draining, or weight 0): the pool leaves it out of the candidates.
        LoadBalancer lb = LoadBalancer.stickyCookie(LoadBalancer.roundRobin());
        RequestKey toB = RequestKey.of(null, b.affinityId());
        assertThat(List.of(lb.select(List.of(a, c), toB), lb.select(List.of(a, c), toB))).containsExactly(a, c);
    }

    @Test
    void noOrForgedCookieUsesTheFallback() {
        LoadBalancer lb = LoadBalancer.stickyCookie(LoadBalancer.roundRobin());
        assertThat(lb.select(List.of(a, b, c))).isSameAs(a);
        assertThat(lb.select(List.of(a, b, c), RequestKey.of(null, "10.0.0.1:80"))).isSameAs(b);
    }

    @Test
    void affinityIdsAreOpaqueAndStable() {
        assertThat(a.affinityId()).matches("[0-9a-f]{16}").isEqualTo(Hashing.opaqueId("pool/a")).doesNotContain("a/");
        assertThat(a.affinityId()).isNotEqualTo(b.affinityId());
    }

    @Test
    void everyAlgorithmMapsToItsOwnBalancer() {
        assertThat(LoadBalancer.forAlgorithm(Algorithm.WEIGHTED_ROUND_ROBIN, false, RandomSource.seeded(1)))
                .isInstanceOf(SmoothWeightedRoundRobin.class);
        assertThat(LoadBalancer.forAlgorithm(Algorithm.LEAST_REQUESTS, false, RandomSource.seeded(1))).isInstanceOf(LeastRequests.class);
        assertThat(LoadBalancer.forAlgorithm(Algorithm.POWER_OF_TWO_CHOICES, false, RandomSource.seeded(1)))
                .isInstanceOf(PowerOfTwoChoices.class);
        assertThat(LoadBalancer.forAlgorithm(Algorithm.RANDOM, false, RandomSource.seeded(1))).isInstanceOf(WeightedRandom.class);
        assertThat(LoadBalancer.forAlgorithm(Algorithm.CONSISTENT_HASH, false, RandomSource.seeded(1))).isInstanceOf(RingHash.class);
        assertThat(LoadBalancer.forAlgorithm(Algorithm.ROUND_ROBIN, true, RandomSource.seeded(1))).isInstanceOf(StickyAffinity.class);
    }
}
