package io.ballast.dataplane.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightedRandomTest {

    @Test
    void picksInProportionToWeight() {
        LoadBalancer lb = LoadBalancer.random(RandomSource.seeded(17));
        List<TestEndpoint> c = List.of(new TestEndpoint("a", 100), new TestEndpoint("b", 300), new TestEndpoint("c", 600));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            counts.merge(lb.select(c).name(), 1, Integer::sum);
        }
        assertThat(counts.get("a")).isBetween(9_400, 10_600);
        assertThat(counts.get("b")).isBetween(29_000, 31_000);
        assertThat(counts.get("c")).isBetween(59_000, 61_000);
    }

    @Test
    void oneOrNoCandidate() {
        LoadBalancer lb = LoadBalancer.random(RandomSource.seeded(1));
        assertThat(lb.<TestEndpoint>select(List.of())).isNull();
        TestEndpoint only = TestEndpoint.of("only");
        assertThat(lb.select(List.of(only))).isSameAs(only);
    }
}
