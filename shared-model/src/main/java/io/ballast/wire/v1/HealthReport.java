package io.ballast.wire.v1;

import java.util.List;

/** Data plane → control plane: health transitions (not every probe), batched. */
public record HealthReport(List<Observation> observations) implements WireMessage {
    public HealthReport {
        observations = observations == null ? List.of() : List.copyOf(observations);
    }

    /**
     * @param state  e.g. {@code healthy}, {@code unhealthy}, {@code initial}
     * @param reason e.g. {@code unhealthy:Timeout}, {@code ejected:Consecutive5xx}
     * @param at     epoch millis of the transition
     */
    public record Observation(String pool, String backend, String state, String reason, long at) {
    }
}
