package io.ballast.wire.v1;

import java.util.Map;

/**
 * Data plane → control plane, periodically.
 *
 * @param inFlight requests in flight per backend, keyed {@code pool/backend}
 * @param counters monotonically increasing counters (e.g. {@code requests}, {@code responses5xx}), keyed by name
 * @param latency  request durations since the data plane started; null from data planes older than
 *                 this field (canary gates then judge the 5xx rate only)
 */
public record Heartbeat(Long appliedRevision, String appliedHash, Map<String, Integer> inFlight,
                        Map<String, Long> counters, RequestLatency latency) implements WireMessage {
    public Heartbeat {
        inFlight = inFlight == null ? Map.of() : Map.copyOf(inFlight);
        counters = counters == null ? Map.of() : Map.copyOf(counters);
    }

    /** A heartbeat without latency (as data planes before the {@code latency} field sent it). */
    public Heartbeat(Long appliedRevision, String appliedHash, Map<String, Integer> inFlight, Map<String, Long> counters) {
        this(appliedRevision, appliedHash, inFlight, counters, null);
    }
}
