package io.ballast.controlplane.console;

import io.ballast.wire.v1.Heartbeat;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * The application's one {@link TrafficSeries}, fed by the push endpoint with every heartbeat. Cheap and
 * non-blocking (memory only), so it is safe on any thread.
 */
@ApplicationScoped
public class TrafficRecorder {
    private final TrafficSeries series = new TrafficSeries(Clock.systemUTC());

    public void heartbeat(String nodeId, Heartbeat heartbeat) {
        series.record(nodeId, heartbeat);
    }

    TrafficSeries series() {
        return series;
    }
}
