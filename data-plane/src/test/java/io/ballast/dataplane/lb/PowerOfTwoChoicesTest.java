package io.ballast.dataplane.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PowerOfTwoChoicesTest {

    @Property(seed = "11")
    void theMostLoadedIsNeverChosen(@ForAll @IntRange(min = 2, max = 10) int size, @ForAll long seed) {
        LoadBalancer lb = LoadBalancer.powerOfTwoChoices(RandomSource.seeded(seed));
        List<TestEndpoint> c = IntStream.range(0, size).mapToObj(i -> TestEndpoint.of("e" + i).load(i == size - 1 ? 100 : i % 3)).toList();
        for (int i = 0; i < 200; i++) {
            assertThat(lb.select(c).name()).isNotEqualTo("e" + (size - 1));
        }
    }

    @Test
    void equalLoadSpreadsUniformly() {
        LoadBalancer lb = LoadBalancer.powerOfTwoChoices(RandomSource.seeded(9));
        List<TestEndpoint> c = List.of(TestEndpoint.of("a"), TestEndpoint.of("b"), TestEndpoint.of("c"), TestEndpoint.of("d"));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 40_000; i++) {
            counts.merge(lb.select(c).name(), 1, Integer::sum);
        }
        assertThat(counts).hasSize(4);
        counts.values().forEach(n -> assertThat(n).isBetween(9_000, 11_000));
    }

    @Test
    void theLeastLoadedGetsTheMost() {
        // With loads 0,1,2,3 the idle backend wins every draw it is in: 3 of the 6 pairs, so half the picks.
        LoadBalancer lb = LoadBalancer.powerOfTwoChoices(RandomSource.seeded(2));
        List<TestEndpoint> c = List.of(TestEndpoint.of("a").load(0), TestEndpoint.of("b").load(1), TestEndpoint.of("c").load(2),
                TestEndpoint.of("d").load(3));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 60_000; i++) {
            counts.merge(lb.select(c).name(), 1, Integer::sum);
        }
        assertThat(counts.get("a")).isBetween(28_500, 31_500);
        assertThat(counts.get("b")).isBetween(19_000, 21_000);
        assertThat(counts.get("c")).isBetween(9_000, 11_000);
        assertThat(counts).doesNotContainKey("d");
    }

    @Test
    void oneOrNoCandidate() {
        LoadBalancer lb = LoadBalancer.powerOfTwoChoices(RandomSource.seeded(1));
        assertThat(lb.<TestEndpoint>select(List.of())).isNull();
        TestEndpoint only = TestEndpoint.of("only").load(50);
        assertThat(lb.select(List.of(only))).isSameAs(only);
    }
}
