package io.ballast.dataplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.wire.v1.RequestLatency;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The latency histogram heartbeats carry: every pool's durations added up, in milliseconds. */
class ProxyMetricsLatencyTest {

    @Test
    void everyPoolsRequestsAreCountedInTheirBucket() {
        ProxyMetrics metrics = new ProxyMetrics();
        metrics.completed("web", 200, TimeUnit.MICROSECONDS.toNanos(300), 0, 0);
        metrics.completed("api", 500, TimeUnit.MILLISECONDS.toNanos(40), 0, 0);
        metrics.completed(ProxyMetrics.NO_POOL, 404, TimeUnit.MICROSECONDS.toNanos(100), 0, 0);
        metrics.completed("web", 200, TimeUnit.SECONDS.toNanos(60), 0, 0);

        RequestLatency latency = metrics.durations();
        assertThat(latency.boundsMillis()).startsWith(0.5, 1.0).endsWith(30_000.0);
        assertThat(latency.total()).isEqualTo(4);
        assertThat(latency.counts().get(0)).as("at most 0.5 ms").isEqualTo(2);
        assertThat(latency.counts().get(latency.boundsMillis().indexOf(50.0))).as("25 to 50 ms").isEqualTo(1);
        assertThat(latency.counts().get(latency.counts().size() - 1)).as("over 30 s").isEqualTo(1);
    }

    @Test
    void aLaterHeartbeatMinusAnEarlierOneIsWhatHappenedBetween() {
        ProxyMetrics metrics = new ProxyMetrics();
        metrics.completed("web", 200, TimeUnit.MILLISECONDS.toNanos(2), 0, 0);
        RequestLatency first = metrics.durations();
        metrics.completed("web", 200, TimeUnit.MILLISECONDS.toNanos(200), 0, 0);
        RequestLatency window = metrics.durations().minus(first);
        assertThat(window.total()).isEqualTo(1);
        assertThat(window.quantileMillis(0.99)).isBetween(100.0, 250.0);
    }
}
