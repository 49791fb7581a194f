package io.ballast.wire.v1;

import java.util.List;

/** Data plane → control plane: health transitions (not every probe), batched. */
public record HealthReport(List<Observation> observations) implements WireMessage {
    public HealthReport {
        observations = observations == null ? List.of() : List.copyOf(observations);
    }

    /**
     * @param state    e.g. {@code healthy}, {@code unhealthy}, {@code initial}
     * @param reason   e.g. {@code unhealthy:Timeout}, {@code ejected:Consecutive5xx}
     * @param at       epoch millis of the transition
     * @param inFlight requests this data plane had in flight to the backend when it reported; optional (null from
     *                 data planes before 0.1.1). A {@code draining} report with 0 confirms the drain on this data
     *                 plane at once, without waiting for the next heartbeat
     */
    public record Observation(String pool, String backend, String state, String reason, long at, Integer inFlight) {
        /** An observation that does not say how many requests were in flight. */
        public Observation(String pool, String backend, String state, String reason, long at) {
            this(pool, backend, state, reason, at, null);
        }
    }
}
