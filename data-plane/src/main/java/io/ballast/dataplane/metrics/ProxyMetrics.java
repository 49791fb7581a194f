package io.ballast.dataplane.metrics;

import io.ballast.dataplane.health.HealthState;
import io.ballast.dataplane.routing.ActiveConfig;
import io.ballast.dataplane.upstream.Member;
import io.ballast.dataplane.upstream.UpstreamPool;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * Counters of the proxy. {@link LongAdder}s, because every event loop bumps them on every request and a
 * shared atomic would be contended. Thread-safe.
 */
public final class ProxyMetrics {
    private final LongAdder requests = new LongAdder();
    private final LongAdder[] responsesByClass = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
    private final LongAdder noRoute = new LongAdder();
    private final LongAdder noBackend = new LongAdder();
    private final LongAdder upstreamFailures = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder retries = new LongAdder();

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

    public void noRoute() {
        noRoute.increment();
    }

    public void noBackend() {
        noBackend.increment();
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

    /** Monotonic counters by name, as sent in heartbeats. */
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

    /** Requests in flight per backend of {@code config}, keyed {@code pool/backend}. */
    public static Map<String, Integer> inFlight(ActiveConfig config) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (config != null) {
            for (UpstreamPool pool : config.table().pools()) {
                for (Member m : pool.members()) {
                    out.put(m.heartbeatKey(), m.inFlight());
                }
            }
        }
        return out;
    }

    /** Prometheus text exposition format 0.0.4. */
    public String prometheus(ActiveConfig config) {
        StringBuilder sb = new StringBuilder();
        counter(sb, "ballast_requests_total", "Requests received by the proxy.", requests.sum());
        sb.append("# HELP ballast_responses_total Responses sent, by status class.\n# TYPE ballast_responses_total counter\n");
        for (int i = 0; i < responsesByClass.length; i++) {
            sb.append("ballast_responses_total{class=\"").append(i + 1).append("xx\"} ").append(responsesByClass[i].sum()).append('\n');
        }
        counter(sb, "ballast_no_route_total", "Requests no route matched (404).", noRoute.sum());
        counter(sb, "ballast_no_healthy_backend_total", "Requests whose pool had no eligible backend (503).", noBackend.sum());
        counter(sb, "ballast_upstream_failures_total", "Attempts that failed to connect to or read from a backend.", upstreamFailures.sum());
        counter(sb, "ballast_timeouts_total", "Requests that passed their pool's request timeout (504).", timeouts.sum());
        counter(sb, "ballast_retries_total", "Attempts retried on another backend.", retries.sum());
        if (config != null) {
            sb.append("# HELP ballast_config_revision Revision of the applied config.\n# TYPE ballast_config_revision gauge\n");
            sb.append("ballast_config_revision ").append(config.revision()).append('\n');
            sb.append("# HELP ballast_backend_in_flight Requests in flight per backend.\n# TYPE ballast_backend_in_flight gauge\n");
            forEachMember(config, (labels, m) -> sb.append("ballast_backend_in_flight").append(labels).append(' ')
                    .append(m.inFlight()).append('\n'));
            sb.append("# HELP ballast_backend_healthy 1 when active checks find the backend healthy.\n"
                    + "# TYPE ballast_backend_healthy gauge\n");
            forEachMember(config, (labels, m) -> sb.append("ballast_backend_healthy").append(labels).append(' ')
                    .append(m.live().health().state() == HealthState.HEALTHY ? 1 : 0).append('\n'));
            BackendMetrics.render(sb, config, System::currentTimeMillis);
        }
        return sb.toString();
    }

    private static void forEachMember(ActiveConfig config, BiConsumer<String, Member> action) {
        for (UpstreamPool pool : config.table().pools()) {
            for (Member m : pool.members()) {
                action.accept("{pool=\"" + escape(pool.name()) + "\",backend=\"" + escape(m.backend().name()) + "\"}", m);
            }
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
