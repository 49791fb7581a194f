package io.ballast.wire.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequestLatencyTest {
    private static final List<Double> BOUNDS = List.of(1.0, 10.0, 100.0);

    private static RequestLatency of(long... counts) {
        return new RequestLatency(BOUNDS, java.util.Arrays.stream(counts).boxed().toList());
    }

    @Test
    void quantileInterpolatesInsideItsBucket() {
        // 100 requests: 90 at most 1 ms, 10 between 1 and 10 ms. p99 is the 99th: 9/10 of the way through the second bucket.
        assertThat(of(90, 10, 0, 0).quantileMillis(0.99)).isCloseTo(1 + 9 * 0.9, within(1e-9));
        assertThat(of(100, 0, 0, 0).quantileMillis(0.5)).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void aQuantileAboveTheLastBoundIsTheLastBound() {
        assertThat(of(0, 0, 1, 99).quantileMillis(0.99)).isEqualTo(100.0);
    }

    @Test
    void nothingCountedHasNoQuantile() {
        assertThat(of(0, 0, 0, 0).quantileMillis(0.99)).isNull();
    }

    @Test
    void minusGivesTheWindowAndARestartGivesTheWhole() {
        assertThat(of(15, 4, 1, 0).minus(of(10, 2, 1, 0))).isEqualTo(of(5, 2, 0, 0));
        assertThat(of(1, 0, 0, 0).minus(of(10, 2, 1, 0))).as("counts went back: a new process").isEqualTo(of(1, 0, 0, 0));
        assertThat(of(15, 4, 1, 0).minus(new RequestLatency(List.of(5.0), List.of(1L, 1L)))).isEqualTo(of(15, 4, 1, 0));
        assertThat(of(15, 4, 1, 0).minus(of(10, 2, 1, 1))).as("one bucket read mid-update").isEqualTo(of(5, 2, 0, 0));
    }

    @Test
    void plusAddsBucketByBucket() {
        assertThat(of(1, 2, 3, 4).plus(of(1, 1, 1, 1))).isEqualTo(of(2, 3, 4, 5));
    }

    @Test
    void countsMustMatchTheBounds() {
        assertThatThrownBy(() -> new RequestLatency(BOUNDS, List.of(1L))).isInstanceOf(IllegalArgumentException.class);
    }
}
