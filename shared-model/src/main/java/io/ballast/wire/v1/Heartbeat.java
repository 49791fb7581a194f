package io.ballast.wire.v1;

import java.util.Map;

/**
 * Data plane → control plane, periodically.
 *
 * @param inFlight requests in flight per backend, keyed {@code pool/backend}
 * @param counters monotonically increasing counters (e.g. {@code requests}, {@code responses5xx}), keyed by name
 */
public record Heartbeat(Long appliedRevision, String appliedHash, Map<String, Integer> inFlight,
                        Map<String, Long> counters) implements WireMessage {
    public Heartbeat {
        inFlight = inFlight == null ? Map.of() : Map.copyOf(inFlight);
        counters = counters == null ? Map.of() : Map.copyOf(counters);
    }
}
