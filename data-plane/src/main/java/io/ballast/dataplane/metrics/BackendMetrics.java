package io.ballast.dataplane.metrics;

import io.ballast.dataplane.routing.ActiveConfig;
import io.ballast.dataplane.upstream.BackendStats;
import io.ballast.dataplane.upstream.Member;
import io.ballast.dataplane.upstream.UpstreamPool;
import java.util.function.LongSupplier;

/**
 * The per-backend and per-pool health series of {@code /metrics} (Prometheus text format 0.0.4):
 * {@code ballast_backend_up}, {@code ballast_backend_health_transitions_total},
 * {@code ballast_backend_active_requests}, {@code ballast_backend_requests_total{code_class}},
 * {@code ballast_backend_request_duration_seconds} and {@code ballast_pool_panic}. Stateless.
 */
final class BackendMetrics {
    private BackendMetrics() {
    }

    static void render(StringBuilder sb, ActiveConfig config, LongSupplier clock) {
        long now = clock.getAsLong();
        header(sb, "ballast_backend_up", "gauge", "1 when the backend takes new requests (enabled, healthy, not ejected).");
        each(sb, config, (labels, m) -> sb.append("ballast_backend_up").append(labels).append(' ')
                .append(m.eligible(now) ? 1 : 0).append('\n'));
        header(sb, "ballast_backend_health_transitions_total", "counter", "Changes of the reported health state.");
        each(sb, config, (labels, m) -> sb.append("ballast_backend_health_transitions_total").append(labels).append(' ')
                .append(m.live().stats().transitions()).append('\n'));
        header(sb, "ballast_backend_active_requests", "gauge", "Requests in flight to the backend.");
        each(sb, config, (labels, m) -> sb.append("ballast_backend_active_requests").append(labels).append(' ')
                .append(m.inFlight()).append('\n'));
        header(sb, "ballast_backend_requests_total", "counter",
                "Attempts sent to the backend, by class of its answer (\\\"failed\\\": no answer).");
        each(sb, config, (labels, m) -> {
            BackendStats s = m.live().stats();
            String open = labels.substring(0, labels.length() - 1);
            for (int cls = 1; cls <= 5; cls++) {
                sb.append("ballast_backend_requests_total").append(open).append(",code_class=\"").append(cls).append("xx\"} ")
                        .append(s.answers(cls)).append('\n');
            }
            sb.append("ballast_backend_requests_total").append(open).append(",code_class=\"failed\"} ")
                    .append(s.gatewayFailures()).append('\n');
        });
        header(sb, "ballast_backend_request_duration_seconds", "histogram", "Time from sending a request to the backend's response head.");
        each(sb, config, (labels, m) -> {
            BackendStats s = m.live().stats();
            String open = labels.substring(0, labels.length() - 1);
            long cumulative = 0;
            for (int i = 0; i < BackendStats.BUCKETS.length; i++) {
                cumulative += s.bucket(i);
                sb.append("ballast_backend_request_duration_seconds_bucket").append(open).append(",le=\"")
                        .append(BackendStats.BUCKETS[i]).append("\"} ").append(cumulative).append('\n');
            }
            long count = s.count();
            sb.append("ballast_backend_request_duration_seconds_bucket").append(open).append(",le=\"+Inf\"} ").append(count).append('\n');
            sb.append("ballast_backend_request_duration_seconds_sum").append(labels).append(' ').append(s.sumSeconds()).append('\n');
            sb.append("ballast_backend_request_duration_seconds_count").append(labels).append(' ').append(count).append('\n');
        });
        header(sb, "ballast_pool_panic", "gauge", "1 while too few backends are healthy and traffic is spread over all of them.");
        for (UpstreamPool pool : config.table().pools()) {
            sb.append("ballast_pool_panic{pool=\"").append(escape(pool.name())).append("\"} ").append(pool.panic() ? 1 : 0).append('\n');
        }
    }

    private interface MemberLine {
        void write(String labels, Member member);
    }

    private static void each(StringBuilder sb, ActiveConfig config, MemberLine line) {
        for (UpstreamPool pool : config.table().pools()) {
            for (Member m : pool.members()) {
                line.write("{pool=\"" + escape(pool.name()) + "\",backend=\"" + escape(m.backend().name()) + "\"}", m);
            }
        }
    }

    private static void header(StringBuilder sb, String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
