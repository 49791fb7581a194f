package io.ballast.dataplane.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeastRequestsTest {

    @Test
    void picksTheLeastLoaded() {
        LoadBalancer lb = LoadBalancer.leastRequests(RandomSource.seeded(1));
        List<TestEndpoint> c = List.of(TestEndpoint.of("a").load(5), TestEndpoint.of("b").load(2), TestEndpoint.of("c").load(9));
        for (int i = 0; i < 100; i++) {
            assertThat(lb.select(c).name()).isEqualTo("b");
        }
    }

    @Test
    void weightScalesTheLoadABackendMayCarry() {
        LoadBalancer lb = LoadBalancer.leastRequests(RandomSource.seeded(1));
        // (3+1)/200 = 0.02 < (2+1)/100 = 0.03: the heavier backend takes more concurrent requests.
        TestEndpoint big = new TestEndpoint("big", 200).load(3);
        TestEndpoint small = new TestEndpoint("small", 100).load(2);
        assertThat(lb.select(List.of(small, big)).name()).isEqualTo("big");
    }

    @Test
    void tiesAreSpreadEvenly() {
        LoadBalancer lb = LoadBalancer.leastRequests(RandomSource.seeded(3));
        List<TestEndpoint> c = List.of(TestEndpoint.of("a").load(1), TestEndpoint.of("b").load(1), TestEndpoint.of("c").load(1),
                TestEndpoint.of("busy").load(4));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 30_000; i++) {
            counts.merge(lb.select(c).name(), 1, Integer::sum);
        }
        assertThat(counts).doesNotContainKey("busy");
        counts.values().forEach(n -> assertThat(n).isBetween(9_000, 11_000));
    }

    @Test
    void simulatedLoadStaysBalanced() {
        // Each pick adds one request; the spread between most and least loaded never exceeds one.
        LoadBalancer lb = LoadBalancer.leastRequests(RandomSource.seeded(5));
        List<TestEndpoint> c = List.of(TestEndpoint.of("a"), TestEndpoint.of("b"), TestEndpoint.of("c"));
        for (int i = 0; i < 300; i++) {
            TestEndpoint e = lb.select(c);
            e.load(e.inFlight() + 1);
            int max = c.stream().mapToInt(TestEndpoint::inFlight).max().orElseThrow();
            int min = c.stream().mapToInt(TestEndpoint::inFlight).min().orElseThrow();
            assertThat(max - min).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void noCandidateGivesNull() {
        assertThat(LoadBalancer.leastRequests(RandomSource.seeded(1)).<TestEndpoint>select(List.of())).isNull();
    }
}
