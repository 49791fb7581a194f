package io.ballast.controlplane.console;

import io.ballast.wire.v1.Heartbeat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What heartbeats say about each backend right now, beside the rates of {@link TrafficSeries}: connections open to it
 * and requests queued for a slot in its pool (summed over the data planes heard from lately), and the latest active
 * health check each data plane reported of it. A data plane that does not send a figure (one older than these
 * fields) counts as unknown, not as zero: when none of the fresh ones sends it, the figure is null. Memory only; each
 * instance knows the data planes connected to it. Thread-safe (one lock; heartbeats arrive every few seconds per node).
 */
public final class BackendGauges {
    /** Figures of a node silent for longer than this are no longer counted (as for requests in flight). */
    private static final Duration FRESHNESS = Duration.ofSeconds(30);
    /** A node's probes are kept this long after its last heartbeat: the console still says when it last looked. */
    private static final Duration PROBES_KEPT = TrafficSeries.WINDOW;

    private final Clock clock;
    private final Map<String, Node> nodes = new HashMap<>();

    public BackendGauges(Clock clock) {
        this.clock = clock;
    }

    /** Takes in one heartbeat of {@code nodeId}. */
    public synchronized void record(String nodeId, Heartbeat heartbeat) {
        Instant now = clock.instant();
        Node node = nodes.computeIfAbsent(nodeId, n -> new Node());
        node.at = now;
        node.connections = heartbeat.connections();
        node.queued = heartbeat.queued();
        if (heartbeat.probes() != null) {
            node.probes.putAll(heartbeat.probes());
        }
        nodes.values().removeIf(n -> n.at.isBefore(now.minus(PROBES_KEPT)));
    }

    /** The figures of {@code pool}: its queue and, per backend name, connections and the latest checks. */
    public synchronized PoolGauges pool(String pool) {
        Instant fresh = clock.instant().minus(FRESHNESS);
        String prefix = pool + "/";
        Integer queued = null;
        Map<String, Integer> connections = new TreeMap<>();
        boolean connectionsKnown = false;
        Map<String, List<NodeCheck>> checks = new TreeMap<>();
        for (Map.Entry<String, Node> e : nodes.entrySet()) {
            Node node = e.getValue();
            node.probes.forEach((key, probe) -> {
                if (key.startsWith(prefix)) {
                    checks.computeIfAbsent(key.substring(prefix.length()), b -> new ArrayList<>()).add(NodeCheck.of(e.getKey(), probe));
                }
            });
            if (node.at.isBefore(fresh)) {
                continue;
            }
            if (node.queued != null) {
                queued = (queued == null ? 0 : queued) + node.queued.getOrDefault(pool, 0);
            }
            if (node.connections != null) {
                connectionsKnown = true;
                node.connections.forEach((key, n) -> {
                    if (key.startsWith(prefix) && n != null) {
                        connections.merge(key.substring(prefix.length()), Math.max(0, n), Integer::sum);
                    }
                });
            }
        }
        Map<String, LastCheck> last = new TreeMap<>();
        checks.forEach((backend, byNode) -> last.put(backend, LastCheck.of(byNode)));
        return new PoolGauges(queued, connectionsKnown ? connections : null, last);
    }

    private static final class Node {
        Instant at;
        Map<String, Integer> connections;
        Map<String, Integer> queued;
        final Map<String, Heartbeat.Probe> probes = new HashMap<>();
    }

    /**
     * A pool's current figures.
     *
     * @param queued      requests waiting for a connection slot over the fresh data planes; null when none says
     * @param connections per backend name with open connections; a backend not in it has none; null when no fresh data
     *                    plane says
     * @param lastChecks  per backend name, the latest check any data plane reported
     */
    public record PoolGauges(Integer queued, Map<String, Integer> connections, Map<String, LastCheck> lastChecks) {
    }

    /** One data plane's latest check of a backend. {@code status} is the HTTP status (null for TCP or no answer). */
    public record NodeCheck(String nodeId, Instant at, boolean passed, Integer status, String failure) {
        static NodeCheck of(String nodeId, Heartbeat.Probe p) {
            return new NodeCheck(nodeId, Instant.ofEpochMilli(p.at()), p.passed(), p.status(), p.failure());
        }
    }

    /**
     * The latest check of a backend over every data plane ({@code at} … {@code nodeId} are that check's), and each
     * data plane's own latest, newest first.
     */
    public record LastCheck(Instant at, boolean passed, Integer status, String failure, String nodeId, List<NodeCheck> nodes) {
        static LastCheck of(List<NodeCheck> byNode) {
            List<NodeCheck> sorted = byNode.stream().sorted(Comparator.comparing(NodeCheck::at).reversed()).toList();
            NodeCheck newest = sorted.get(0);
            return new LastCheck(newest.at(), newest.passed(), newest.status(), newest.failure(), newest.nodeId(), sorted);
        }
    }
}
