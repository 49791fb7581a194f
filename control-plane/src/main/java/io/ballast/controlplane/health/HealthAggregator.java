package io.ballast.controlplane.health;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Folds the observations of the connected data planes into one {@link BackendHealth}. A draining (or
 * disabled) backend counts as {@code drained} only when every connected data plane has confirmed it: it
 * reported the admin state, and the newest count of its requests in flight is zero: the count a heartbeat
 * received after that report carries, or else the count the report itself carried (a draining backend gets
 * no new requests, so a zero at the report stays zero). Stateless.
 */
final class HealthAggregator {
    private HealthAggregator() {
    }

    /**
     * The latest observation of one (node, backend), with when this control plane received it and the requests in
     * flight the data plane counted when it reported it (null when it did not say).
     */
    record Observed(String state, String reason, Instant at, Instant receivedAt, Integer inFlightAtReport) {
        Observed(String state, String reason, Instant at, Instant receivedAt) {
            this(state, reason, at, receivedAt, null);
        }
    }

    /** The in-flight count of one (node, backend) from a heartbeat received at {@code receivedAt}. */
    record InFlight(int count, Instant receivedAt) {
    }

    static BackendHealth aggregate(String pool, String backend, String adminState, List<String> nodes,
                                   Map<String, Observed> observed, Map<String, InFlight> inFlight) {
        return aggregate(pool, backend, adminState, nodes, observed, inFlight, Map.of());
    }

    /**
     * @param inFlightAt when each node's in-flight counts were last replaced: a heartbeat lists only the backends
     *                   with requests in flight (and those being drained), so a backend it leaves out had none then
     */
    static BackendHealth aggregate(String pool, String backend, String adminState, List<String> nodes,
                                   Map<String, Observed> observed, Map<String, InFlight> inFlight,
                                   Map<String, Instant> inFlightAt) {
        List<NodeHealth> perNode = new ArrayList<>();
        int healthy = 0;
        int total = 0;
        boolean confirmed = true;
        for (String node : nodes) {
            Observed o = observed.get(node);
            InFlight f = inFlight.get(node);
            if (f == null && inFlightAt.get(node) != null) {
                f = new InFlight(0, inFlightAt.get(node));
            }
            if (o == null) {
                int count = f == null ? 0 : f.count();
                total += count;
                perNode.add(new NodeHealth(node, "unknown", null, null, count));
                confirmed = false;
                continue;
            }
            boolean countsAfterReport = f != null && f.receivedAt().isAfter(o.receivedAt());
            // The newest count: a later heartbeat's, else the report's own, else an older heartbeat's.
            Integer newest = countsAfterReport ? Integer.valueOf(f.count())
                    : o.inFlightAtReport() != null ? o.inFlightAtReport() : f == null ? null : f.count();
            int count = newest == null ? 0 : newest;
            total += count;
            perNode.add(new NodeHealth(node, o.state(), o.reason(), o.at(), count));
            if ("healthy".equals(o.state())) {
                healthy++;
            }
            boolean known = countsAfterReport || o.inFlightAtReport() != null;
            if (!adminState.equals(o.state()) || !known || count > 0) {
                confirmed = false;
            }
        }
        int n = nodes.size();
        String state;
        String summary;
        if (!"enabled".equals(adminState)) {
            state = confirmed ? "drained" : "draining";
            summary = confirmed ? adminState + " and drained on " + n + " of " + n + " data planes"
                    : "draining (" + total + " in flight)";
        } else {
            state = n == 0 ? "unknown" : healthy == n ? "healthy" : healthy == 0 ? "unhealthy" : "degraded";
            summary = "healthy on " + healthy + " of " + n + " data planes";
        }
        return new BackendHealth(pool, backend, adminState, state, summary, healthy, n, total, perNode);
    }
}
