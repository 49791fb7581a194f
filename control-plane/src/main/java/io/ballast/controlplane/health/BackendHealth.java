package io.ballast.controlplane.health;

import java.util.List;

/**
 * The fleet-wide health of one backend: each connected data plane's observation and their aggregate.
 *
 * @param adminState  as configured: {@code enabled}, {@code draining}, {@code disabled}
 * @param state       aggregate: {@code healthy} (on every data plane), {@code degraded} (on some),
 *                    {@code unhealthy} (on none), {@code unknown} (no data plane connected), and for a draining
 *                    or disabled backend {@code draining} (requests still in flight or not yet confirmed by
 *                    every data plane) or {@code drained}
 * @param summary     for people: {@code healthy on 3 of 3 data planes}, {@code draining (4 in flight)}
 * @param healthy     data planes that find it healthy
 * @param dataPlanes  connected data planes
 * @param inFlight    requests in flight over all of them
 * @param since       when the newest of the connected data planes' observations was made: the aggregate has been
 *                    what it is at least since then (null when none reported)
 * @param downSeconds how long, within the last {@code downWindowSeconds}, at least one connected data plane found it
 *                    down ({@code unhealthy} or {@code ejected}), from the history of transitions
 */
public record BackendHealth(String pool, String backend, String adminState, String state, String summary, int healthy,
                            int dataPlanes, int inFlight, List<NodeHealth> nodes, java.time.Instant since, long downSeconds,
                            long downWindowSeconds) {
    public BackendHealth {
        nodes = List.copyOf(nodes);
    }

    public BackendHealth(String pool, String backend, String adminState, String state, String summary, int healthy,
                         int dataPlanes, int inFlight, List<NodeHealth> nodes) {
        this(pool, backend, adminState, state, summary, healthy, dataPlanes, inFlight, nodes,
                nodes.stream().map(NodeHealth::at).filter(java.util.Objects::nonNull).max(java.util.Comparator.naturalOrder()).orElse(null),
                0, 0);
    }

    BackendHealth withDowntime(long seconds, java.time.Duration window) {
        return new BackendHealth(pool, backend, adminState, state, summary, healthy, dataPlanes, inFlight, nodes, since, seconds,
                window.toSeconds());
    }
}
