package io.ballast.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ballast.dataplane.lb.RandomSource;
import io.ballast.dataplane.upstream.LiveBackends;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.ballast.model.Backend;
import io.ballast.model.Pool;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The spread of a weighted split with a fixed seed, and the affinity that keeps a client on its pool. */
class WeightedSplitTest {
    private final LiveBackends live = new LiveBackends(() -> 0);

    private UpstreamPool pool(Pool config) {
        return UpstreamPool.build(config.withBackends(List.of(Backend.of("10.0.0." + (config.name().length() + 1), 80))), live);
    }

    private static Map<String, Integer> spread(WeightedSplit split, int n, java.util.function.IntFunction<HttpHeaders> headers,
                                              java.util.function.IntFunction<String> client) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(split.pick(headers.apply(i), client.apply(i)).name(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void tenThousandRequestsFollowTheWeightsWithinTwoPercent() {
        WeightedSplit split = new WeightedSplit(List.of(pool(Pool.named("blue")), pool(Pool.named("green")), pool(Pool.named("canary"))),
                List.of(70, 25, 5), RandomSource.seeded(42));
        Map<String, Integer> counts = spread(split, 10_000, i -> new DefaultHttpHeaders(), i -> "10.1.0." + (i % 250));
        assertThat(counts.get("blue") / 10_000.0).isCloseTo(0.70, within(0.02));
        assertThat(counts.get("green") / 10_000.0).isCloseTo(0.25, within(0.02));
        assertThat(counts.get("canary") / 10_000.0).isCloseTo(0.05, within(0.02));
    }

    @Test
    void aPoolOfWeightZeroTakesNothing() {
        WeightedSplit split = new WeightedSplit(List.of(pool(Pool.named("old")), pool(Pool.named("new"))), List.of(0, 10),
                RandomSource.seeded(7));
        assertThat(spread(split, 1000, i -> new DefaultHttpHeaders(), i -> "10.0.0.1")).containsOnlyKeys("new");
    }

    @Test
    void hashOnKeepsAClientOnItsPoolAndStillSpreadsClients() {
        Pool blue = new Pool("blue", null, null, "source-ip", null, null, null, null, null, null, null, null, null, null, null);
        WeightedSplit split = new WeightedSplit(List.of(pool(blue), pool(Pool.named("green"))), List.of(50, 50), RandomSource.seeded(1));
        for (int c = 0; c < 50; c++) {
            String client = "10.2.0." + c;
            assertThat(spread(split, 20, i -> new DefaultHttpHeaders(), i -> client)).as(client).hasSize(1);
        }
        Map<String, Integer> clients = spread(split, 2000, i -> new DefaultHttpHeaders(), i -> "10.3." + (i / 250) + "." + (i % 250));
        assertThat(clients.get("blue") / 2000.0).isCloseTo(0.5, within(0.05));
    }

    @Test
    void theAffinityCookieOfABackendKeepsTheClientOnThatBackendsPool() {
        Pool blueConfig = new Pool("blue", null, null, null, "lb", null, null, null, null, null, null, null, null, null, null);
        Pool greenConfig = new Pool("green", null, null, null, "lb", null, null, null, null, null, null, null, null, null, null);
        UpstreamPool green = pool(greenConfig);
        WeightedSplit split = new WeightedSplit(List.of(pool(blueConfig), green), List.of(90, 10), RandomSource.seeded(3));
        String greenBackend = green.members().get(0).affinityId();
        Map<String, Integer> counts = spread(split, 500, i -> new DefaultHttpHeaders().add("Cookie", "a=b; lb=" + greenBackend),
                i -> "10.0.0.1");
        assertThat(counts).containsOnlyKeys("green");
        assertThat(spread(split, 500, i -> new DefaultHttpHeaders().add("Cookie", "lb=unknown"), i -> "10.0.0.1"))
                .containsKeys("blue", "green");
    }
}
