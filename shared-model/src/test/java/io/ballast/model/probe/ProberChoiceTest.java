package io.ballast.model.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProberChoiceTest {
    private static List<String> nodes(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "dp-" + i).toList();
    }

    @Test
    void picksNDistinctNodesWhateverTheOrderOfTheFleet() {
        List<String> fleet = nodes(10);
        List<String> reversed = new ArrayList<>(fleet);
        java.util.Collections.reverse(reversed);
        for (int b = 0; b < 200; b++) {
            String key = ProberChoice.key("shop", "b" + b);
            List<String> chosen = ProberChoice.probers(fleet, key, 3);
            assertThat(chosen).hasSize(3).doesNotHaveDuplicates();
            assertThat(ProberChoice.probers(reversed, key, 3)).isEqualTo(chosen);
        }
        assertThat(ProberChoice.probers(nodes(2), "shop/b", 3)).hasSize(2);
    }

    @Test
    void spreadsBackendsEvenlyAcrossTheFleet() {
        Map<String, Integer> load = new HashMap<>();
        for (int b = 0; b < 1000; b++) {
            for (String node : ProberChoice.probers(nodes(10), ProberChoice.key("shop", "b" + b), 3)) {
                load.merge(node, 1, Integer::sum);
            }
        }
        // 3 000 assignments over 10 nodes: 300 each on average; rendezvous hashing keeps each well within ±30 %.
        assertThat(load).hasSize(10);
        assertThat(load.values()).allSatisfy(count -> assertThat(count).isBetween(210, 390));
    }

    @Test
    void aNodeLeavingMovesOnlyTheBackendsItProbed() {
        List<String> before = nodes(10);
        List<String> after = before.subList(0, 9);
        for (int b = 0; b < 500; b++) {
            String key = ProberChoice.key("shop", "b" + b);
            List<String> was = ProberChoice.probers(before, key, 3);
            List<String> now = ProberChoice.probers(after, key, 3);
            List<String> kept = new ArrayList<>(was);
            kept.remove("dp-10");
            assertThat(now).as(key).containsAll(kept);
        }
    }
}
