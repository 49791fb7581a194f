package io.ballast.dataplane.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SmoothWeightedRoundRobinTest {

    @Test
    void interleavesLikeNginx() {
        // The sequence nginx documents for weights 5, 1, 1 (ngx_http_upstream_round_robin.c).
        LoadBalancer lb = LoadBalancer.weightedRoundRobin();
        List<TestEndpoint> c = List.of(new TestEndpoint("a", 5), new TestEndpoint("b", 1), new TestEndpoint("c", 1));
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            picks.add(lb.select(c).name());
        }
        assertThat(picks).containsExactly("a", "a", "b", "a", "c", "a", "a", "a", "a", "b", "a", "c", "a", "a");
    }

    @Property(seed = "42")
    void everyCycleHonoursWeightsExactly(@ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 50) Integer> weights) {
        LoadBalancer lb = LoadBalancer.weightedRoundRobin();
        List<TestEndpoint> c = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < weights.size(); i++) {
            c.add(new TestEndpoint("e" + i, weights.get(i)));
            total += weights.get(i);
        }
        for (int cycle = 0; cycle < 3; cycle++) {
            Map<String, Integer> counts = new HashMap<>();
            for (int i = 0; i < total; i++) {
                counts.merge(lb.select(c).name(), 1, Integer::sum);
            }
            for (TestEndpoint e : c) {
                assertThat(counts.get(e.name())).as("%s in cycle %d", e.name(), cycle).isEqualTo(e.weight());
            }
        }
    }

    @Property(seed = "7")
    void noBurstLongerThanTheWeightRatioAllows(@ForAll @IntRange(min = 1, max = 20) int heavy, @ForAll @IntRange(min = 1, max = 20) int light) {
        LoadBalancer lb = LoadBalancer.weightedRoundRobin();
        List<TestEndpoint> c = List.of(new TestEndpoint("h", heavy), new TestEndpoint("l", light));
        int longest = 0;
        int run = 0;
        String previous = null;
        for (int i = 0; i < 2 * (heavy + light); i++) {
            String name = lb.select(c).name();
            run = name.equals(previous) ? run + 1 : 1;
            previous = name;
            longest = Math.max(longest, run);
        }
        // Smooth: a run never exceeds ceil(max/min) picks, where plain weighted round robin would send max in a row.
        int bound = (Math.max(heavy, light) + Math.min(heavy, light) - 1) / Math.min(heavy, light);
        assertThat(longest).isLessThanOrEqualTo(bound);
    }

    @Test
    void noCandidateGivesNull() {
        assertThat(LoadBalancer.weightedRoundRobin().<TestEndpoint>select(List.of())).isNull();
    }
}
