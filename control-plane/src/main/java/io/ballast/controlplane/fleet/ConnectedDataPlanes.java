package io.ballast.controlplane.fleet;

import io.ballast.controlplane.persistence.DataPlaneRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How many data planes are connected to the whole fleet, whichever control-plane instance holds their socket:
 * rows marked connected and heard from within {@code ballast.dataplanes.stale-after} (a crashed instance cannot
 * clear its nodes' flags, so silence decides, as in {@link FleetRegistry}). Blocking JDBC: call it from a
 * worker thread. Thread-safe (stateless).
 */
@ApplicationScoped
public class ConnectedDataPlanes {
    private final DataPlaneRepository nodes;
    private final Duration staleAfter;

    ConnectedDataPlanes(DataPlaneRepository nodes, @ConfigProperty(name = "ballast.dataplanes.stale-after") Duration staleAfter) {
        this.nodes = nodes;
        this.staleAfter = staleAfter;
    }

    @Transactional
    public int count() {
        return (int) nodes.count("connected = true and lastSeen > ?1", Instant.now().minus(staleAfter));
    }

    /** The node ids of those data planes (who may probe which backend: {@code healthCheck.probers}). */
    @Transactional
    public java.util.List<String> ids() {
        return nodes.find("connected = true and lastSeen > ?1", Instant.now().minus(staleAfter)).list().stream()
                .map(n -> n.nodeId).toList();
    }
}
