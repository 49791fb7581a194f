package io.ballast.controlplane.console;

import io.ballast.controlplane.health.LatencyStore;
import io.ballast.wire.v1.Heartbeat;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * The application's one {@link TrafficSeries}, fed by the push endpoint with every heartbeat; it also feeds the
 * heartbeats' latency percentiles to the {@link LatencyStore}. Cheap and non-blocking (memory only), so it is
 * safe on any thread.
 */
@ApplicationScoped
public class TrafficRecorder {
    private final TrafficSeries series;

    TrafficRecorder(LatencyStore latency) {
        this.series = new TrafficSeries(Clock.systemUTC(), latency.samples());
    }

    public void heartbeat(String nodeId, Heartbeat heartbeat) {
        series.record(nodeId, heartbeat);
    }

    TrafficSeries series() {
        return series;
    }
}
