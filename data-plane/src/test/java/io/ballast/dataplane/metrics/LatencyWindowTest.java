package io.ballast.dataplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.wire.v1.Heartbeat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LatencyWindowTest {
    private static final double[] BOUNDS = {0.001, 0.01, 0.1};

    @Test
    void percentilesAreInterpolatedInsideTheBucketThatHoldsTheRank() {
        // 100 requests: 50 under 1 ms, 40 in (1, 10] ms, 10 in (10, 100] ms.
        long[] counts = {50, 40, 10, 0};
        assertThat(LatencyWindow.percentile(BOUNDS, counts, 100, 0.50)).isEqualTo(0.001);
        assertThat(LatencyWindow.percentile(BOUNDS, counts, 100, 0.99)).isCloseTo(0.01 + 0.09 * 9 / 10, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(LatencyWindow.percentile(BOUNDS, new long[] {0, 0, 0, 5}, 5, 0.5)).as("past the last bound").isEqualTo(0.1);
    }

    @Test
    void eachSampleCoversOnlyWhatFinishedSinceThePreviousOne() {
        LatencyWindow window = new LatencyWindow();
        Heartbeat.Latency first = window.sample("web", BOUNDS, new long[] {100, 0, 0, 0}).orElseThrow();
        assertThat(first.count()).isEqualTo(100);
        assertThat(first.p99Ms()).isLessThanOrEqualTo(1.0);
        assertThat(window.sample("web", BOUNDS, new long[] {100, 0, 0, 0})).as("nothing new").isEmpty();
        // 10 slow ones since: the window sees only them, however many fast ones came before.
        Heartbeat.Latency slow = window.sample("web", BOUNDS, new long[] {100, 0, 10, 0}).orElseThrow();
        assertThat(slow.count()).isEqualTo(10);
        assertThat(slow.p50Ms()).isGreaterThan(10).isLessThanOrEqualTo(100);
        // A histogram that restarted (smaller counts) is taken from zero.
        assertThat(window.sample("web", BOUNDS, new long[] {3, 0, 0, 0}).orElseThrow().count()).isEqualTo(3);
    }

    @Test
    void forgottenKeysStartAfresh() {
        LatencyWindow window = new LatencyWindow();
        window.sample("web/a", BOUNDS, new long[] {5, 0, 0, 0});
        window.retain(Set.of());
        assertThat(window.sample("web/a", BOUNDS, new long[] {5, 0, 0, 0}).orElseThrow().count()).isEqualTo(5);
    }
}
