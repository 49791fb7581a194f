package io.ballast.controlplane.console;

import io.ballast.controlplane.health.LatencyStore;
import io.ballast.wire.v1.Heartbeat;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * The application's one {@link TrafficSeries} and {@link BackendGauges}, fed by the push endpoint with every
 * heartbeat; it also feeds the heartbeats' latency percentiles to the {@link LatencyStore}. Cheap and non-blocking (memory only), so it is
 * safe on any thread.
 */
@ApplicationScoped
public class TrafficRecorder {
    private final TrafficSeries series;
    private final BackendGauges gauges;

    TrafficRecorder(LatencyStore latency) {
        this.series = new TrafficSeries(Clock.systemUTC(), latency.samples());
        this.gauges = new BackendGauges(Clock.systemUTC());
    }

    public void heartbeat(String nodeId, Heartbeat heartbeat) {
        series.record(nodeId, heartbeat);
        gauges.record(nodeId, heartbeat);
    }

    /** A pool's traffic with its backends' connections, queue and latest checks. */
    TrafficSeries.PoolTraffic pool(String pool) {
        return series.pool(pool).with(gauges.pool(pool));
    }

    TrafficSeries series() {
        return series;
    }
}
