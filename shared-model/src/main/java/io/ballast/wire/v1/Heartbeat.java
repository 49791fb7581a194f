package io.ballast.wire.v1;

import java.util.Map;

/**
 * Data plane → control plane, periodically.
 *
 * @param inFlight  requests in flight per backend, keyed {@code pool/backend}
 * @param counters  monotonically increasing counters (e.g. {@code requests}, {@code responses5xx}), keyed by name
 * @param latency   response-time percentiles of the requests that finished since the previous heartbeat, keyed
 *                  {@code pool} or {@code pool/backend}, for the console; a target with no finished request is
 *                  absent. Optional: empty from data planes before 0.1.1, and ignored by control planes that do
 *                  not know it
 * @param durations every request's duration since the data plane started, as one histogram (canary gates
 *                  compare the cohort's p99 with the rest's); null from data planes older than this field
 *                  (the gates then judge the 5xx rate only)
 */
public record Heartbeat(Long appliedRevision, String appliedHash, Map<String, Integer> inFlight,
                        Map<String, Long> counters, Map<String, Latency> latency, RequestLatency durations)
        implements WireMessage {
    public Heartbeat {
        inFlight = inFlight == null ? Map.of() : Map.copyOf(inFlight);
        counters = counters == null ? Map.of() : Map.copyOf(counters);
        latency = latency == null ? Map.of() : Map.copyOf(latency);
    }

    /** A heartbeat without latency (what data planes before 0.1.1 send). */
    public Heartbeat(Long appliedRevision, String appliedHash, Map<String, Integer> inFlight, Map<String, Long> counters) {
        this(appliedRevision, appliedHash, inFlight, counters, Map.of(), null);
    }

    /** A heartbeat with the console's percentiles but no duration histogram. */
    public Heartbeat(Long appliedRevision, String appliedHash, Map<String, Integer> inFlight, Map<String, Long> counters,
                     Map<String, Latency> latency) {
        this(appliedRevision, appliedHash, inFlight, counters, latency, null);
    }

    /**
     * Percentiles over one heartbeat interval, estimated from a histogram (linear inside a bucket).
     *
     * @param count requests the percentiles are taken over
     * @param p50Ms median, milliseconds
     * @param p99Ms 99th percentile, milliseconds
     */
    public record Latency(long count, double p50Ms, double p99Ms) {
    }
}
