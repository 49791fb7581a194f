package io.ballast.dataplane.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RoundRobinTest {
    record E(String name) implements Endpoint {
        @Override
        public int weight() {
            return 100;
        }

        @Override
        public int inFlight() {
            return 0;
        }

        @Override
        public String affinityId() {
            return name;
        }
    }

    @Test
    void takesCandidatesInTurn() {
        LoadBalancer lb = LoadBalancer.roundRobin();
        List<E> c = List.of(new E("a"), new E("b"), new E("c"));
        assertThat(List.of(lb.select(c), lb.select(c), lb.select(c), lb.select(c)))
                .extracting(E::name).containsExactly("a", "b", "c", "a");
    }

    @Test
    void noCandidateGivesNull() {
        assertThat(LoadBalancer.roundRobin().<E>select(List.of())).isNull();
    }

    @Property
    void spreadIsEvenWithinOne(@ForAll @IntRange(min = 1, max = 12) int size, @ForAll @IntRange(min = 0, max = 500) int calls) {
        LoadBalancer lb = LoadBalancer.roundRobin();
        List<E> c = java.util.stream.IntStream.range(0, size).mapToObj(i -> new E("e" + i)).toList();
        Map<E, Integer> counts = new HashMap<>();
        for (int i = 0; i < calls; i++) {
            counts.merge(lb.select(c), 1, Integer::sum);
        }
        for (E e : c) {
            int n = counts.getOrDefault(e, 0);
            assertThat(n).isBetween(calls / size, calls / size + 1);
        }
    }

    @Test
    void concurrentCallersShareOneRotation() throws Exception {
        LoadBalancer lb = LoadBalancer.roundRobin();
        List<E> c = List.of(new E("a"), new E("b"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Map<String, Integer>>> parts = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                parts.add(pool.submit(() -> {
                    Map<String, Integer> m = new HashMap<>();
                    for (int i = 0; i < 10_000; i++) {
                        m.merge(lb.select(c).name(), 1, Integer::sum);
                    }
                    return m;
                }));
            }
            Map<String, Integer> total = new HashMap<>();
            for (Future<Map<String, Integer>> f : parts) {
                f.get().forEach((k, v) -> total.merge(k, v, Integer::sum));
            }
            assertThat(total).containsEntry("a", 20_000).containsEntry("b", 20_000);
        } finally {
            pool.shutdownNow();
        }
    }
}
