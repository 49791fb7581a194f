package io.ballast.wire.v1;

import java.util.Map;

/**
 * Data plane → control plane, periodically.
 *
 * @param inFlight  requests in flight per backend, keyed {@code pool/backend}
 * @param counters  monotonically increasing counters of the whole data plane (e.g. {@code requests},
 *                  {@code responses5xx}), keyed by name; data planes before 0.2 also put each target's counters here,
 *                  under keys such as {@code requests:<target>} ({@link #targetCounters()} reads them)
 * @param latency   response-time percentiles of the requests that finished since the previous heartbeat, keyed
 *                  {@code pool} or {@code pool/backend}, for the console; a target with no finished request is
 *                  absent. Optional: empty from data planes before 0.1.1, and ignored by control planes that do
 *                  not know it
 * @param durations every request's duration since the data plane started, as one histogram (canary gates
 *                  compare the cohort's p99 with the rest's); null from data planes older than this field
 *                  (the gates then judge the 5xx rate only)
 * @param connections connections open now to each backend, busy or idle, keyed {@code pool/backend}; a backend with
 *                  none is absent (pools naming the same address share its connections, so each shows them all); null
 *                  from data planes older than this field: unknown, not zero
 * @param queued    requests waiting now for a connection slot ({@code maxConnectionsPerBackend} reached), keyed
 *                  {@code pool}; a pool where none wait is absent; null from older data planes
 * @param probes    the latest active health check of backends probed since their last report, keyed
 *                  {@code pool/backend}; at most 100 per heartbeat (changed results first, then the longest unreported),
 *                  so with more backends each is refreshed in turn; absent: nothing new. Null from older data planes
 * @param targets   monotonic totals per target ({@code pool} or {@code pool/backend}) since the data plane started; a
 *                  target is present from its first request on. Null from older data planes, which sent them as
 *                  string-keyed {@code counters}: read them through {@link #targetCounters()}, which takes either
 */
public record Heartbeat(Long appliedRevision, String appliedHash, Map<String, Integer> inFlight,
                        Map<String, Long> counters, Map<String, Latency> latency, RequestLatency durations,
                        Map<String, Integer> connections, Map<String, Integer> queued, Map<String, Probe> probes,
                        Map<String, TargetCounters> targets)
        implements WireMessage {
    public Heartbeat {
        inFlight = inFlight == null ? Map.of() : Map.copyOf(inFlight);
        counters = counters == null ? Map.of() : Map.copyOf(counters);
        latency = latency == null ? Map.of() : Map.copyOf(latency);
        // Absent stays null: a control plane must tell "this data plane does not say" from "none".
        connections = connections == null ? null : Map.copyOf(connections);
        queued = queued == null ? null : Map.copyOf(queued);
        probes = probes == null ? null : Map.copyOf(probes);
        targets = targets == null ? null : Map.copyOf(targets);
    }

    /** A heartbeat without per-target counters of its own (what data planes before 0.2 send). */
    public Heartbeat(Long appliedRevision, String appliedHash, Map<String, Integer> inFlight, Map<String, Long> counters,
                     Map<String, Latency> latency, RequestLatency durations, Map<String, Integer> connections,
                     Map<String, Integer> queued, Map<String, Probe> probes) {
        this(appliedRevision, appliedHash, inFlight, counters, latency, durations, connections, queued, probes, null);
    }

    /**
     * Each target's totals: {@link #targets} when the data plane sends them, else what an older data plane put in
     * {@link #counters} under {@code requests:<target>}, {@code responses5xx:<target>}, {@code bytesIn:<target>} and
     * {@code bytesOut:<target>} (the only place that reads that form).
     */
    public Map<String, TargetCounters> targetCounters() {
        return targets != null ? targets : LegacyTargetCounters.read(counters);
    }

    /** A heartbeat without connection, queue and probe figures (what data planes before 0.2 send). */
    public Heartbeat(Long appliedRevision, String appliedHash, Map<String, Integer> inFlight, Map<String, Long> counters,
                     Map<String, Latency> latency, RequestLatency durations) {
        this(appliedRevision, appliedHash, inFlight, counters, latency, durations, null, null, null);
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

    /**
     * One finished active health check.
     *
     * @param at      epoch millis when it finished
     * @param passed  whether the backend answered as the check expects
     * @param status  the HTTP status of the answer; null for TCP checks and when no answer came
     * @param failure why it failed ({@code Timeout}, {@code ConnectionRefused}, {@code ResponseCodeMismatch} …); null
     *                when it passed
     */
    public record Probe(long at, boolean passed, Integer status, String failure) {
    }

    /**
     * One target's monotonic totals since the data plane started.
     *
     * @param requests     requests that finished with an answer from (or on behalf of) the target
     * @param responses5xx of those, the ones answered 5xx
     * @param bytesIn      request body bytes sent to it
     * @param bytesOut     response body bytes sent back to clients
     */
    public record TargetCounters(long requests, long responses5xx, long bytesIn, long bytesOut) {
        public static final TargetCounters NONE = new TargetCounters(0, 0, 0, 0);
    }
}
