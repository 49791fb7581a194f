package io.ballast.controlplane.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.ballast.controlplane.persistence.ConfigRows;
import io.ballast.controlplane.persistence.DataPlaneEntity;
import io.ballast.controlplane.persistence.DataPlaneRepository;
import io.ballast.controlplane.revision.RevisionTargets;
import io.ballast.model.json.BallastJson;
import io.ballast.model.validation.Violation;
import io.ballast.wire.v1.Ack;
import io.ballast.wire.v1.Heartbeat;
import io.ballast.wire.v1.Hello;
import io.ballast.wire.v1.Nack;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Records what data planes say and computes each node's {@link SyncState}. Every method is one short
 * transaction (blocking JDBC: call it from a worker thread, never an event loop). Thread-safe (stateless).
 */
@ApplicationScoped
public class FleetRegistry {
    private static final Logger LOG = Logger.getLogger(FleetRegistry.class);
    private static final TypeReference<List<Violation>> VIOLATIONS = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> WARNINGS = new TypeReference<>() {
    };

    private final DataPlaneRepository nodes;
    private final ControlPlaneInstance instance;
    private final PropagationLog propagation;
    private final EntityManager em;
    private final Duration staleAfter;
    private final Duration heartbeatsMissedAfter;
    private final RevisionTargets targets;

    FleetRegistry(DataPlaneRepository nodes, ControlPlaneInstance instance, PropagationLog propagation, EntityManager em,
                  @ConfigProperty(name = "ballast.dataplanes.stale-after") Duration staleAfter,
                  @ConfigProperty(name = "ballast.dataplanes.heartbeats-missed-after") Duration heartbeatsMissedAfter,
                  RevisionTargets targets) {
        this.targets = targets;
        this.nodes = nodes;
        this.instance = instance;
        this.propagation = propagation;
        this.em = em;
        this.staleAfter = staleAfter;
        this.heartbeatsMissedAfter = heartbeatsMissedAfter;
    }

    /** A node said hello on a socket this instance holds. */
    @Transactional
    public void hello(Hello hello) {
        Instant now = Instant.now();
        DataPlaneEntity row = describe(hello, now);
        row.appliedRevision = hello.appliedRevision();
        row.appliedHash = hello.appliedHash();
        row.connected = true;
        row.cpInstance = instance.id();
        row.connectedAt = now;
        row.refusedReason = null;
        nodes.persist(row);
    }

    /** A node said hello but was turned away; the reason shows in {@code GET /dataplanes}. */
    @Transactional
    public void refused(Hello hello, String reason) {
        DataPlaneEntity row = describe(hello, Instant.now());
        row.connected = false;
        row.cpInstance = instance.id();
        row.refusedReason = reason;
        nodes.persist(row);
    }

    private DataPlaneEntity describe(Hello hello, Instant now) {
        DataPlaneEntity row = nodes.findByIdOptional(hello.nodeId()).orElseGet(() -> {
            DataPlaneEntity created = new DataPlaneEntity();
            created.nodeId = hello.nodeId();
            created.firstSeen = now;
            return created;
        });
        row.hostname = hello.hostname();
        row.version = hello.version();
        row.labels = ConfigRows.labelsJson(hello.labels());
        row.lastSeen = now;
        return row;
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
            row.ackWarnings = ack.warnings() == null ? null : ConfigRows.json(ack.warnings());
            propagation.answered(nodeId, ack.revision(), PropagationStatus.ACKED, List.of(), now, row.connectedAt);
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
            propagation.answered(nodeId, nack.revision(), PropagationStatus.NACKED, nack.errors(), now, row.connectedAt);
        });
    }

    @Transactional
    public void heartbeat(String nodeId, Heartbeat heartbeat) {
        nodes.findByIdOptional(nodeId).ifPresent(row -> {
            Instant now = Instant.now();
            row.lastSeen = now;
            row.lastHeartbeatAt = now;
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

    /** This instance stops: every node whose socket it holds is disconnected now. Answers how many. */
    @Transactional
    public int disconnectAllOfThisInstance() {
        return (int) nodes.update("connected = false, lastSeen = ?1 where connected = true and cpInstance = ?2", Instant.now(), instance.id());
    }

    /** Every registered node (gone ones are purged after {@code ballast.dataplanes.purge-after}), by node id. */
    @Transactional
    public List<DataPlaneStatus> list() {
        Instant now = Instant.now();
        Optional<LatestRevision> latest = latestRevision();
        RevisionTargets.Plan plan = targets.plan();
        return nodes.listAll(io.quarkus.panache.common.Sort.by("nodeId")).stream()
                .map(row -> toStatus(row, latest, plan, now)).toList();
    }

    @Transactional
    public Optional<DataPlaneStatus> find(String nodeId) {
        Instant now = Instant.now();
        return nodes.findByIdOptional(nodeId).map(row -> toStatus(row, latestRevision(), targets.plan(), now));
    }

    /**
     * Deletes nodes not heard from since {@code cutoff}. A crashed control plane cannot clear its
     * nodes' connected flags, so silence alone decides.
     *
     * @return the node ids deleted
     */
    @Transactional
    public List<String> purgeSilentSince(Instant cutoff) {
        List<DataPlaneEntity> gone = nodes.list("lastSeen < ?1", cutoff);
        gone.forEach(nodes::delete);
        return gone.stream().map(row -> row.nodeId).toList();
    }

    /**
     * Per node: what it did with {@code revision}. Nodes that answered are listed from the history;
     * connected nodes that did not are PENDING, SKIPPED when they already run a newer revision, or HELD
     * when a baking canary keeps them on an older one.
     */
    @Transactional
    public List<NodePropagation> propagation(long revision) {
        Map<String, NodePropagation> byNode = new HashMap<>();
        for (PropagationLog.Answer answer : propagation.answers(revision)) {
            byNode.put(answer.nodeId(), new NodePropagation(answer.nodeId(), answer.status(), answer.at(),
                    answer.latencyMs(), errors(answer.errorsJson())));
        }
        Instant now = Instant.now();
        RevisionTargets.Plan plan = targets.plan();
        Long latest = latestRevision().map(LatestRevision::number).orElse(null);
        for (DataPlaneEntity row : nodes.list("connected = true")) {
            if (byNode.containsKey(row.nodeId) || !connected(row, now)) {
                continue;
            }
            boolean newer = row.appliedRevision != null && row.appliedRevision > revision;
            boolean held = latest != null && plan.revisionFor(row.nodeId, ConfigRows.labels(row.labels), latest) < revision;
            byNode.put(row.nodeId, new NodePropagation(row.nodeId,
                    newer ? PropagationStatus.SKIPPED : held ? PropagationStatus.HELD : PropagationStatus.PENDING, null, null, List.of()));
        }
        List<NodePropagation> result = new ArrayList<>(byNode.values());
        result.sort(java.util.Comparator.comparing(NodePropagation::nodeId));
        return result;
    }

    private Optional<LatestRevision> latestRevision() {
        List<?> rows = em.createNativeQuery("SELECT number, hash FROM revisions ORDER BY number DESC LIMIT 1").getResultList();
        return rows.stream().findFirst().map(r -> {
            Object[] cols = (Object[]) r;
            return new LatestRevision(((Number) cols[0]).longValue(), String.valueOf(cols[1]).trim());
        });
    }

    private boolean connected(DataPlaneEntity row, Instant now) {
        // A crashed control plane cannot clear its flags; silence longer than the staleness window
        // means the socket is gone whatever the row says.
        return row.connected && row.lastSeen.isAfter(now.minus(staleAfter));
    }

    private DataPlaneStatus toStatus(DataPlaneEntity row, Optional<LatestRevision> latest, RevisionTargets.Plan plan, Instant now) {
        boolean connected = connected(row, now);
        Map<String, String> labels = ConfigRows.labels(row.labels);
        Long target = latest.map(l -> plan.revisionFor(row.nodeId, labels, l.number())).orElse(null);
        DataPlaneStatus.NackInfo nack = row.lastNackAt == null ? null
                : new DataPlaneStatus.NackInfo(row.lastNackRevision, row.lastNackAt, errors(row.lastErrors));
        return new DataPlaneStatus(row.nodeId, row.hostname, row.version, labels,
                syncState(row, connected, latest, target, now), connected, row.cpInstance, row.appliedRevision, row.appliedHash,
                latest.map(LatestRevision::number).orElse(null), target, row.firstSeen, row.lastSeen, row.connectedAt,
                row.lastHeartbeatAt, row.lastAckAt, nack, row.refusedReason, warnings(row.ackWarnings));
    }

    private SyncState syncState(DataPlaneEntity row, boolean connected, Optional<LatestRevision> latest, Long target, Instant now) {
        if (!connected) {
            return SyncState.OFFLINE;
        }
        // A hello starts the heartbeat clock afresh: a node that reconnects is not STALE for the few seconds
        // until its first heartbeat on the new socket just because its last one on the old socket is old.
        Instant lastHeartbeat = latest(row.lastHeartbeatAt, row.connectedAt);
        if (lastHeartbeat == null || lastHeartbeat.isBefore(now.minus(heartbeatsMissedAfter))) {
            return SyncState.STALE;
        }
        if (row.lastNackAt != null) {
            return SyncState.NACKED;
        }
        boolean heldBack = target != null && latest.isPresent() && !target.equals(latest.get().number());
        if (heldBack ? target.equals(row.appliedRevision)
                : latest.isEmpty() || latest.get().hash().equals(row.appliedHash) || latest.get().number().equals(row.appliedRevision)) {
            return row.ackWarnings == null ? SyncState.SYNCED : SyncState.CACHE_FAILED;
        }
        return SyncState.PENDING;
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    private static List<String> warnings(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return BallastJson.lenient().readValue(json, WARNINGS);
        } catch (JsonProcessingException e) {
            LOG.debugf("Unreadable ack warnings: %s", e.getOriginalMessage());
            return List.of();
        }
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

    private record LatestRevision(Long number, String hash) {
    }
}
