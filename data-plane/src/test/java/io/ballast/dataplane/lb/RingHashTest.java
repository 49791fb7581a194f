package io.ballast.dataplane.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RingHashTest {
    private static final int KEYS = 20_000;

    private static List<TestEndpoint> endpoints(int n) {
        return IntStream.range(0, n).mapToObj(i -> TestEndpoint.of("10.0.0." + i + ":8080")).toList();
    }

    private static Map<String, String> assign(LoadBalancer lb, List<TestEndpoint> c) {
        Map<String, String> owner = new HashMap<>();
        for (int k = 0; k < KEYS; k++) {
            String key = "client-" + k;
            owner.put(key, lb.select(c, RequestKey.of(key, null)).name());
        }
        return owner;
    }

    @Property(seed = "23", tries = 20)
    void removingOneOfNMovesOnlyItsOwnKeysAboutOneNth(@ForAll @IntRange(min = 3, max = 12) int n, @ForAll @IntRange(min = 0, max = 11) int leaving) {
        int gone = leaving % n;
        List<TestEndpoint> all = endpoints(n);
        List<TestEndpoint> rest = new ArrayList<>(all);
        rest.remove(gone);
        Map<String, String> before = assign(LoadBalancer.consistentHash(LoadBalancer.roundRobin()), all);
        Map<String, String> after = assign(LoadBalancer.consistentHash(LoadBalancer.roundRobin()), rest);
        int moved = 0;
        for (Map.Entry<String, String> e : before.entrySet()) {
            boolean wasOnLeaving = e.getValue().equals(all.get(gone).name());
            if (wasOnLeaving) {
                moved++;
            } else {
                // Keys of the backends that stay never move: the property that makes it "consistent".
                assertThat(after.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
        double share = (double) moved / KEYS;
        assertThat(share).as("share of keys moved when 1 of %d leaves", n).isBetween(0.6 / n, 1.4 / n);
    }

    @Test
    void spreadsKeysEvenlyAndHonoursWeight() {
        List<TestEndpoint> c = List.of(new TestEndpoint("a", 100), new TestEndpoint("b", 100), new TestEndpoint("c", 200));
        Map<String, Integer> counts = new HashMap<>();
        assign(LoadBalancer.consistentHash(LoadBalancer.roundRobin()), c).values().forEach(v -> counts.merge(v, 1, Integer::sum));
        assertThat(counts.get("a")).isBetween(4_000, 6_000);
        assertThat(counts.get("b")).isBetween(4_000, 6_000);
        assertThat(counts.get("c")).isBetween(8_500, 11_500);
    }

    @Test
    void theSameKeyGoesToTheSameBackendWhateverTheOrder() {
        List<TestEndpoint> c = endpoints(5);
        List<TestEndpoint> reversed = new ArrayList<>(c);
        java.util.Collections.reverse(reversed);
        LoadBalancer lb = LoadBalancer.consistentHash(LoadBalancer.roundRobin());
        LoadBalancer other = LoadBalancer.consistentHash(LoadBalancer.roundRobin());
        for (int k = 0; k < 500; k++) {
            RequestKey key = RequestKey.of("user-" + k, null);
            assertThat(other.select(reversed, key).name()).isEqualTo(lb.select(c, key).name());
        }
    }

    @Test
    void aRequestWithoutKeyGoesToTheFallback() {
        List<TestEndpoint> c = endpoints(3);
        LoadBalancer lb = LoadBalancer.consistentHash(LoadBalancer.roundRobin());
        assertThat(List.of(lb.select(c), lb.select(c), lb.select(c))).extracting(TestEndpoint::name)
                .containsExactly("10.0.0.0:8080", "10.0.0.1:8080", "10.0.0.2:8080");
        assertThat(lb.<TestEndpoint>select(List.of(), RequestKey.of("k", null))).isNull();
    }
}
