package io.ballast.controlplane.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.ballast.controlplane.persistence.ConfigRows;
import io.ballast.controlplane.persistence.DataPlaneEntity;
import io.ballast.controlplane.persistence.DataPlaneRepository;
import io.ballast.model.json.BallastJson;
import io.ballast.model.validation.Violation;
import io.ballast.wire.v1.Ack;
import io.ballast.wire.v1.Heartbeat;
import io.ballast.wire.v1.Hello;
import io.ballast.wire.v1.Nack;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Records what data planes say. Every method is one short transaction (blocking JDBC: call it from a
 * worker thread, never an event loop). Thread-safe (stateless).
 */
@ApplicationScoped
public class FleetRegistry {
    private static final Logger LOG = Logger.getLogger(FleetRegistry.class);
    private static final TypeReference<List<Violation>> VIOLATIONS = new TypeReference<>() {
    };

    private final DataPlaneRepository nodes;
    private final ControlPlaneInstance instance;
    private final Duration recentWindow;
    private final Duration staleAfter;

    FleetRegistry(DataPlaneRepository nodes, ControlPlaneInstance instance,
                  @ConfigProperty(name = "ballast.dataplanes.recent-window") Duration recentWindow,
                  @ConfigProperty(name = "ballast.dataplanes.stale-after") Duration staleAfter) {
        this.nodes = nodes;
        this.instance = instance;
        this.recentWindow = recentWindow;
        this.staleAfter = staleAfter;
    }

    /** A node said hello on a socket this instance holds. */
    @Transactional
    public void hello(Hello hello) {
        Instant now = Instant.now();
        DataPlaneEntity row = nodes.findByIdOptional(hello.nodeId()).orElseGet(() -> {
            DataPlaneEntity created = new DataPlaneEntity();
            created.nodeId = hello.nodeId();
            created.firstSeen = now;
            return created;
        });
        row.hostname = hello.hostname();
        row.version = hello.version();
        row.labels = ConfigRows.labelsJson(hello.labels());
        row.appliedRevision = hello.appliedRevision();
        row.appliedHash = hello.appliedHash();
        row.connected = true;
        row.cpInstance = instance.id();
        row.connectedAt = now;
        row.lastSeen = now;
        nodes.persist(row);
    }

    @Transactional
    public void acked(String nodeId, Ack ack) {
        nodes.findByIdOptional(nodeId).ifPresent(row -> {
            Instant now = Instant.now();
            row.appliedRevision = ack.revision();
            row.appliedHash = ack.hash();
            row.lastAckAt = now;
            row.lastSeen = now;
            row.lastNackRevision = null;
            row.lastNackAt = null;
            row.lastErrors = null;
        });
    }

    @Transactional
    public void nacked(String nodeId, Nack nack) {
        nodes.findByIdOptional(nodeId).ifPresent(row -> {
            Instant now = Instant.now();
            row.lastNackRevision = nack.revision();
            row.lastNackAt = now;
            row.lastErrors = ConfigRows.json(nack.errors());
            row.lastSeen = now;
        });
    }

    @Transactional
    public void heartbeat(String nodeId, Heartbeat heartbeat) {
        nodes.findByIdOptional(nodeId).ifPresent(row -> {
            row.lastSeen = Instant.now();
            if (heartbeat.appliedRevision() != null) {
                row.appliedRevision = heartbeat.appliedRevision();
            }
            if (heartbeat.appliedHash() != null) {
                row.appliedHash = heartbeat.appliedHash();
            }
        });
    }

    /** Any sign of life (a pong, an unknown frame) that carries no state. */
    @Transactional
    public void seen(String nodeId) {
        nodes.findByIdOptional(nodeId).ifPresent(row -> row.lastSeen = Instant.now());
    }

    /** The socket closed; another instance may already hold a newer one, which is left alone. */
    @Transactional
    public void disconnected(String nodeId) {
        nodes.findByIdOptional(nodeId).ifPresent(row -> {
            if (instance.id().equals(row.cpInstance)) {
                row.connected = false;
                row.lastSeen = Instant.now();
            }
        });
    }

    /** Nodes connected now or seen within {@code ballast.dataplanes.recent-window}. */
    @Transactional
    public List<DataPlaneStatus> list() {
        Instant now = Instant.now();
        return nodes.connectedOrSeenSince(now.minus(recentWindow)).stream().map(row -> toStatus(row, now)).toList();
    }

    private DataPlaneStatus toStatus(DataPlaneEntity row, Instant now) {
        // A crashed control plane cannot clear its flags; silence longer than the staleness window
        // means the socket is gone whatever the row says.
        boolean connected = row.connected && row.lastSeen.isAfter(now.minus(staleAfter));
        DataPlaneStatus.NackInfo nack = row.lastNackAt == null ? null
                : new DataPlaneStatus.NackInfo(row.lastNackRevision, row.lastNackAt, errors(row.lastErrors));
        return new DataPlaneStatus(row.nodeId, row.hostname, row.version, ConfigRows.labels(row.labels), connected,
                row.cpInstance, row.appliedRevision, row.appliedHash, row.firstSeen, row.lastSeen, row.connectedAt,
                row.lastAckAt, nack);
    }

    private static List<Violation> errors(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return BallastJson.lenient().readValue(json, VIOLATIONS);
        } catch (JsonProcessingException e) {
            LOG.debugf("Unreadable nack errors: %s", e.getOriginalMessage());
            return List.of();
        }
    }
}
