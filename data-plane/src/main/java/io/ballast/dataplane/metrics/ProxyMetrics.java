package io.ballast.dataplane.metrics;


import io.ballast.dataplane.routing.ActiveConfig;
import io.ballast.dataplane.upstream.BackendStats;
import io.ballast.dataplane.upstream.Member;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.ballast.model.AdminState;
import io.ballast.wire.v1.Heartbeat;
import io.ballast.wire.v1.RequestLatency;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;


/**
 * Counters of the proxy. {@link LongAdder}s, because every event loop bumps them on every request and a
 * shared atomic would be contended. Thread-safe.
 */
public final class ProxyMetrics {
    private final LongAdder requests = new LongAdder();
    private final LongAdder[] responsesByClass = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
    private final LongAdder noRoute = new LongAdder();
    private final LongAdder noBackend = new LongAdder();
    private final LongAdder overloaded = new LongAdder();
    private final LongAdder upstreamFailures = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder connectionsOpened = new LongAdder();
    private final LongAdder connectionsClosed = new LongAdder();
    private final LongAdder connectionsRejected = new LongAdder();
    private final LongAdder headTimeouts = new LongAdder();
    private final LongAdder accessLogDropped = new LongAdder();
    private final LongAdder http2BackendOpened = new LongAdder();
    private final LongAdder http2BackendClosed = new LongAdder();
    /** Keyed by pool name, or {@link #NO_POOL} for answers given before a pool was chosen (404, 400, 431 …). */
    private final ConcurrentHashMap<String, PoolTraffic> traffic = new ConcurrentHashMap<>();

    /** The pool label of requests that never reached a pool. Not a valid pool name (API.md slugs). */
    public static final String NO_POOL = "-";
    /**
     * Requests, 5xx and bytes each way per pool ({@code <pool>}) and per backend ({@code <pool>/<backend>}): what the
     * console shows. Keyed by the bare target so the request path does no string building; heartbeats add the
     * {@code requests:} / {@code responses5xx:} / {@code bytesIn:} / {@code bytesOut:} prefixes every few seconds.
     */
    private final Map<String, TargetCounters> byTarget = new ConcurrentHashMap<>();
    private final LatencyWindow latencyWindow = new LatencyWindow();
    private final MirrorMetrics mirrors = new MirrorMetrics();

    /** The counters of mirror copies. */
    public MirrorMetrics mirrors() {
        return mirrors;
    }

    public void requestReceived() {
        requests.increment();
    }

    /** A response was started with {@code status} (from a backend or from the proxy itself). */
    public void responded(int status) {
        int cls = status / 100;
        if (cls >= 1 && cls <= 5) {
            responsesByClass[cls - 1].increment();
        }
    }

    /** A request was routed to {@code pool}. */
    public void poolRequest(String pool) {
        target(pool).requests.increment();
    }

    /** A response for a request routed to {@code pool}; 5xx ones also count against the pool. */
    public void responded(String pool, int status) {
        responded(status);
        if (status >= 500) {
            target(pool).errors.increment();
        }
    }

    /** An attempt was sent to a backend ({@code pool/backend}, see {@code Member.heartbeatKey()}). */
    public void backendRequest(String backendKey) {
        target(backendKey).requests.increment();
    }

    /** A backend answered 5xx, or the attempt failed (refused, reset, broken body) whether or not it was retried. */
    public void backendError(String backendKey) {
        target(backendKey).errors.increment();
    }

    private TargetCounters target(String key) {
        return byTarget.computeIfAbsent(key, k -> new TargetCounters());
    }

    /** The counters of one pool or backend. */
    private static final class TargetCounters {
        final LongAdder requests = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder bytesIn = new LongAdder();
        final LongAdder bytesOut = new LongAdder();

        void bytes(long in, long out) {
            if (in > 0) {
                bytesIn.add(in);
            }
            if (out > 0) {
                bytesOut.add(out);
            }
        }
    }

    public void noRoute() {
        noRoute.increment();
    }

    public void noBackend() {
        noBackend.increment();
    }

    /** A request answered 503 because its pool's backends were at their connection limit and its queue was full. */
    public void overloaded() {
        overloaded.increment();
    }

    public void upstreamFailure() {
        upstreamFailures.increment();
    }

    public void timeout() {
        timeouts.increment();
    }

    public void retry() {
        retries.increment();
    }

    /** An HTTP/2 connection to a backend ({@code protocol: h2c | h2}) came up. */
    public void http2BackendConnectionOpened() {
        http2BackendOpened.increment();
    }

    /** An HTTP/2 connection to a backend that had come up closed. */
    public void http2BackendConnectionClosed() {
        http2BackendClosed.increment();
    }

    /** HTTP/2 connections to backends open now: how few the multiplexing keeps them. */
    public long http2BackendConnections() {
        return http2BackendOpened.sum() - http2BackendClosed.sum();
    }

    public void connectionOpened() {
        connectionsOpened.increment();
    }

    public void connectionClosed() {
        connectionsClosed.increment();
    }

    public void connectionRejected() {
        connectionsRejected.increment();
    }

    public void headTimeout() {
        headTimeouts.increment();
    }

    public void accessLogDropped() {
        accessLogDropped.increment();
    }

    /** One finished request: its pool (or {@link #NO_POOL}), status, duration and bytes each way. */
    public void completed(String pool, int status, long durationNanos, long bytesIn, long bytesOut) {
        completed(pool, null, status, durationNanos, bytesIn, bytesOut);
    }

    /**
     * One finished request, also counted against the backend that served it ({@code pool/backend}, see
     * {@code Member.heartbeatKey()}; null when none did): the bytes each way go to the heartbeat counters.
     */
    public void completed(String pool, String backendKey, int status, long durationNanos, long bytesIn, long bytesOut) {
        traffic.computeIfAbsent(pool, p -> new PoolTraffic()).record(status, durationNanos, bytesIn, bytesOut);
        if (!NO_POOL.equals(pool)) {
            target(pool).bytes(bytesIn, bytesOut);
        }
        if (backendKey != null) {
            target(backendKey).bytes(bytesIn, bytesOut);
        }
    }

    /** The data plane's own monotonic counters by name, as sent in heartbeats (each target's are in {@link #targets()}). */
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("requests", requests.sum());
        for (int i = 0; i < responsesByClass.length; i++) {
            c.put("responses" + (i + 1) + "xx", responsesByClass[i].sum());
        }
        c.put("noRoute", noRoute.sum());
        c.put("noHealthyBackend", noBackend.sum());
        c.put("upstreamFailures", upstreamFailures.sum());
        c.put("timeouts", timeouts.sum());
        c.put("retries", retries.sum());
        return c;
    }

    /** Each target's monotonic totals (pool, or {@code pool/backend}), as sent in heartbeats; a target is sent from its first request on. */
    public Map<String, Heartbeat.TargetCounters> targets() {
        Map<String, Heartbeat.TargetCounters> out = new LinkedHashMap<>();
        byTarget.forEach((key, counters) -> {
            Heartbeat.TargetCounters t = new Heartbeat.TargetCounters(counters.requests.sum(), counters.errors.sum(),
                    counters.bytesIn.sum(), counters.bytesOut.sum());
            if (!t.equals(Heartbeat.TargetCounters.NONE)) {
                out.put(key, t);
            }
        });
        return out;
    }

    /**
     * p50/p99 of what finished since the previous call, per pool ({@code pool}: request head to the end of the
     * response, as the client saw it) and per backend ({@code pool/backend}: request sent to response head), for
     * the heartbeat. Each call starts a new window, so only the heartbeat may call it.
     */
    public synchronized Map<String, Heartbeat.Latency> latency(ActiveConfig config) {
        Map<String, Heartbeat.Latency> out = new LinkedHashMap<>();
        Set<String> sampled = new HashSet<>();
        traffic.forEach((pool, t) -> {
            if (!NO_POOL.equals(pool)) {
                sampled.add(pool);
                latencyWindow.sample(pool, PoolTraffic.BUCKETS, t.bucketCounts()).ifPresent(l -> out.put(pool, l));
            }
        });
        if (config != null) {
            for (UpstreamPool pool : config.table().pools()) {
                for (Member m : pool.members()) {
                    String key = m.heartbeatKey();
                    sampled.add(key);
                    latencyWindow.sample(key, BackendStats.BUCKETS, m.live().stats().bucketCounts()).ifPresent(l -> out.put(key, l));
                }
            }
        }
        latencyWindow.retain(sampled);
        return out;
    }

    /** Every pool's request durations added up, as heartbeats carry them (canary gates compare their p99). */
    public RequestLatency durations() {
        List<Double> bounds = new ArrayList<>(PoolTraffic.BUCKETS.length);
        for (double b : PoolTraffic.BUCKETS) {
            bounds.add(b * 1000);
        }
        long[] counts = new long[PoolTraffic.BUCKETS.length + 1];
        for (PoolTraffic t : traffic.values()) {
            long inBuckets = 0;
            for (int i = 0; i < PoolTraffic.BUCKETS.length; i++) {
                long c = t.buckets[i].sum();
                counts[i] += c;
                inBuckets += c;
            }
            // Over the last bound: a request being recorded while this reads may be off by one here
            // for one heartbeat (the control plane clamps such a dip to zero).
            counts[counts.length - 1] += Math.max(0, t.count.sum() - inBuckets);
        }
        List<Long> boxed = new ArrayList<>(counts.length);
        for (long c : counts) {
            boxed.add(c);
        }
        return new RequestLatency(bounds, boxed);
    }

    /** Requests in flight per backend of {@code config}, keyed {@code pool/backend}. */
    public static Map<String, Integer> inFlight(ActiveConfig config) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (config != null) {
            for (UpstreamPool pool : config.table().pools()) {
                for (Member m : pool.members()) {
                    // Absent means none in flight. Zeros are sent only for backends being drained (or disabled), whose
                    // "drained" the control plane confirms from a zero heard after the drain: a zero for every enabled
                    // backend made each heartbeat of a 10 000-backend fleet replace 10 000 rows per node
                    // (infra/bench/results/fleet-sim-20261202-1452-in-flight-all.md).
                    int n = m.inFlight();
                    if (n > 0 || m.backend().adminState() != AdminState.ENABLED) {
                        out.put(m.heartbeatKey(), n);
                    }
                }
            }
        }
        return out;
    }

    /** Prometheus text exposition format 0.0.4. */
    public String prometheus(ActiveConfig config) {
        StringBuilder sb = new StringBuilder();
        counter(sb, "ballast_requests_received_total", "Requests received by the proxy.", requests.sum());
        poolTraffic(sb);
        counter(sb, "ballast_client_connections_opened_total", "Client connections accepted.", connectionsOpened.sum());
        counter(sb, "ballast_client_connections_rejected_total", "Client connections closed at accept: over the connection limit.",
                connectionsRejected.sum());
        sb.append("# HELP ballast_client_connections Client connections open now.\n# TYPE ballast_client_connections gauge\n")
                .append("ballast_client_connections ").append(connectionsOpened.sum() - connectionsClosed.sum()).append('\n');
        counter(sb, "ballast_backend_http2_connections_opened_total", "HTTP/2 connections to backends (protocol h2c or h2) opened.",
                http2BackendOpened.sum());
        sb.append("# HELP ballast_backend_http2_connections HTTP/2 connections to backends open now.\n"
                        + "# TYPE ballast_backend_http2_connections gauge\n")
                .append("ballast_backend_http2_connections ").append(http2BackendConnections()).append('\n');
        counter(sb, "ballast_request_head_timeouts_total", "Connections closed with 408: the request head did not arrive in time.",
                headTimeouts.sum());
        counter(sb, "ballast_access_log_dropped_total", "Access-log lines dropped because the writer fell behind.",
                accessLogDropped.sum());
        sb.append("# HELP ballast_responses_total Responses sent, by status class.\n# TYPE ballast_responses_total counter\n");
        for (int i = 0; i < responsesByClass.length; i++) {
            sb.append("ballast_responses_total{class=\"").append(i + 1).append("xx\"} ").append(responsesByClass[i].sum()).append('\n');
        }
        counter(sb, "ballast_no_route_total", "Requests no route matched (404).", noRoute.sum());
        counter(sb, "ballast_no_healthy_backend_total", "Requests whose pool had no eligible backend (503).", noBackend.sum());
        counter(sb, "ballast_overloaded_total", "Requests answered 503: backends at their connection limit, pending queue full.",
                overloaded.sum());
        counter(sb, "ballast_upstream_failures_total", "Attempts that failed to connect to or read from a backend.", upstreamFailures.sum());
        counter(sb, "ballast_timeouts_total", "Requests that passed their pool's request timeout (504).", timeouts.sum());
        counter(sb, "ballast_retries_total", "Attempts retried on another backend.", retries.sum());
        mirrors.render(sb);
        if (config != null) {
            RateLimitMetrics.render(sb, config);
            sb.append("# HELP ballast_config_revision Revision of the applied config.\n# TYPE ballast_config_revision gauge\n");
            sb.append("ballast_config_revision ").append(config.revision()).append('\n');
            BackendMetrics.render(sb, config, System::currentTimeMillis);
        }
        return sb.toString();
    }

    private void poolTraffic(StringBuilder sb) {
        List<String> pools = new ArrayList<>(traffic.keySet());
        Collections.sort(pools);
        sb.append("# HELP ballast_requests_total Requests answered, by pool and status class.\n# TYPE ballast_requests_total counter\n");
        for (String pool : pools) {
            PoolTraffic t = traffic.get(pool);
            for (int i = 0; i < t.byClass.length; i++) {
                sb.append("ballast_requests_total{pool=\"").append(escape(pool)).append("\",code_class=\"").append(i + 1)
                        .append("xx\"} ").append(t.byClass[i].sum()).append('\n');
            }
        }
        sb.append("# HELP ballast_request_duration_seconds Time from request head to the end of the response.\n"
                + "# TYPE ballast_request_duration_seconds histogram\n");
        for (String pool : pools) {
            PoolTraffic t = traffic.get(pool);
            String label = "pool=\"" + escape(pool) + "\"";
            long cumulative = 0;
            for (int i = 0; i < PoolTraffic.BUCKETS.length; i++) {
                cumulative += t.buckets[i].sum();
                sb.append("ballast_request_duration_seconds_bucket{").append(label).append(",le=\"").append(PoolTraffic.BUCKETS[i])
                        .append("\"} ").append(cumulative).append('\n');
            }
            long count = t.count.sum();
            sb.append("ballast_request_duration_seconds_bucket{").append(label).append(",le=\"+Inf\"} ").append(count).append('\n');
            sb.append("ballast_request_duration_seconds_sum{").append(label).append("} ").append(t.sumMicros.sum() / 1e6).append('\n');
            sb.append("ballast_request_duration_seconds_count{").append(label).append("} ").append(count).append('\n');
        }
        sb.append("# HELP ballast_request_bytes_total Request bytes received from clients.\n# TYPE ballast_request_bytes_total counter\n");
        for (String pool : pools) {
            sb.append("ballast_request_bytes_total{pool=\"").append(escape(pool)).append("\"} ").append(traffic.get(pool).bytesIn.sum()).append('\n');
        }
        sb.append("# HELP ballast_response_bytes_total Response bytes sent to clients.\n# TYPE ballast_response_bytes_total counter\n");
        for (String pool : pools) {
            sb.append("ballast_response_bytes_total{pool=\"").append(escape(pool)).append("\"} ").append(traffic.get(pool).bytesOut.sum()).append('\n');
        }
    }

    private static void counter(StringBuilder sb, String name, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n")
                .append(name).append(' ').append(value).append('\n');
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
