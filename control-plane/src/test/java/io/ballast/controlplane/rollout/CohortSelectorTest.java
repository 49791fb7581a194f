package io.ballast.controlplane.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CohortSelectorTest {

    @Test
    void everyPairOfALabelSelectorMustMatch() {
        CohortSelector s = CohortSelector.parse("canary=true,zone=eu-1").orElseThrow();
        assertThat(s.matches("a", Map.of("canary", "true", "zone", "eu-1", "x", "y"))).isTrue();
        assertThat(s.matches("a", Map.of("canary", "true"))).isFalse();
        assertThat(s.matches("a", Map.of())).isFalse();
    }

    @Test
    void aPercentPicksAStableShareOfNodeIds() {
        CohortSelector ten = CohortSelector.parse("percent:10").orElseThrow();
        long picked = IntStream.range(0, 10_000).filter(i -> ten.matches("node-" + i, Map.of())).count();
        assertThat(picked).isBetween(800L, 1200L);
        assertThat(ten.matches("node-42", Map.of())).isEqualTo(ten.matches("node-42", Map.of("any", "label")));
        assertThat(IntStream.range(0, 100).allMatch(i -> CohortSelector.parse("percent:100").orElseThrow().matches("n" + i, Map.of()))).isTrue();
    }

    @Test
    void malformedSelectorsAreRefused() {
        for (String bad : new String[] {"", " ", "canary", "=x", "a=b,", "percent:0", "percent:101", "percent:x", "a b=c", "k=<script>"}) {
            assertThat(CohortSelector.problem(bad)).as(bad).isPresent();
        }
        assertThat(CohortSelector.problem("canary=")).as("an empty value is a value").isEmpty();
    }
}
