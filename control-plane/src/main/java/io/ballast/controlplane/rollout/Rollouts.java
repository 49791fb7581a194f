package io.ballast.controlplane.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ballast.controlplane.config.DeclarativeConfig;
import io.ballast.controlplane.config.Precondition;
import io.ballast.controlplane.config.ResourceConflictException;
import io.ballast.controlplane.config.ResourceNotFoundException;
import io.ballast.controlplane.fleet.DataPlaneStatus;
import io.ballast.controlplane.fleet.FleetRegistry;
import io.ballast.controlplane.push.SnapshotFanOut;
import io.ballast.controlplane.revision.Change;
import io.ballast.controlplane.revision.ConfigWriter;
import io.ballast.controlplane.revision.RevisionQueries;
import io.ballast.model.Durations;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Reading rollouts and ending them: promote (the whole fleet goes to the rollout's revision) or
 * abort (a new revision equal to the base one is recorded, through the same writer as any change,
 * so the rows, the export and every data plane are back where they were). Both take the
 * configuration lock first and the rollout's row next, the order every write takes them in.
 * Thread-safe (stateless).
 */
@ApplicationScoped
public class Rollouts {
    private static final Logger LOG = Logger.getLogger(Rollouts.class);
    /** {@code endedBy} when the control plane decided by itself. */
    static final String GATES = "gates";

    private final RolloutRepository rollouts;
    private final FleetRegistry fleet;
    private final DeclarativeConfig config;
    private final RevisionQueries revisions;
    private final ConfigWriter writer;
    private final SnapshotFanOut fanOut;
    private final ObjectMapper json;

    Rollouts(RolloutRepository rollouts, FleetRegistry fleet, DeclarativeConfig config, RevisionQueries revisions,
             ConfigWriter writer, SnapshotFanOut fanOut, ObjectMapper json) {
        this.rollouts = rollouts;
        this.fleet = fleet;
        this.config = config;
        this.revisions = revisions;
        this.writer = writer;
        this.fanOut = fanOut;
        this.json = json;
    }

    /** Newest first; {@code before} is the paging cursor (exclusive). */
    @Transactional
    public List<Rollout> page(Long before, int limit) {
        List<DataPlaneStatus> nodes = fleet.list();
        return rollouts.pageDescending(before, limit).stream().map(r -> view(r, nodes)).toList();
    }

    @Transactional
    public Rollout find(long id) {
        RolloutEntity row = rollouts.findByIdOptional(id).orElseThrow(() -> new ResourceNotFoundException("rollout " + id + " does not exist"));
        return view(row, fleet.list());
    }

    /** Sends the rollout's revision to the whole fleet now, whatever the gates say. */
    public Rollout promote(long id, String by) {
        QuarkusTransaction.requiringNew().run(() -> {
            writer.lock();
            RolloutEntity row = bakingForUpdate(id);
            endPromoted(row, by, null);
        });
        fanOut.retarget();
        return find(id);
    }

    /** Puts the base configuration back for everyone. */
    public Rollout abort(long id, String by, String reason) {
        QuarkusTransaction.requiringNew().run(() -> {
            writer.lock();
            RolloutEntity row = bakingForUpdate(id);
            endAborted(row, by, reason != null ? reason : "aborted by " + by);
        });
        fanOut.retarget();
        return find(id);
    }

    private RolloutEntity bakingForUpdate(long id) {
        RolloutEntity row = rollouts.findForUpdate(id).orElseThrow(() -> new ResourceNotFoundException("rollout " + id + " does not exist"));
        if (!RolloutStates.BAKING.equals(row.state)) {
            throw new ResourceConflictException("rollout " + id + " is " + row.state + " already");
        }
        return row;
    }

    /** Ends {@code row} as promoted. The caller holds the configuration lock and the row's lock. */
    @Transactional(Transactional.TxType.MANDATORY)
    void endPromoted(RolloutEntity row, String by, String reason) {
        row.state = RolloutStates.PROMOTED;
        row.endedAt = Instant.now();
        row.endedBy = by;
        row.reason = reason;
        rollouts.flush();
        LOG.infof("Rollout %d promoted by %s: revision %d goes to the whole fleet", row.id, by, row.revision);
    }

    /**
     * Ends {@code row} as aborted and records a revision equal to its base (forced: going back to what
     * ran before is never unsafe). The caller holds the configuration lock and the row's lock.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void endAborted(RolloutEntity row, String by, String reason) {
        row.state = RolloutStates.ABORTED;
        row.endedAt = Instant.now();
        row.endedBy = by;
        row.reason = reason;
        // Flushed first: the write below must not find this rollout baking.
        rollouts.flush();
        ConfigSnapshot base = revisions.find(row.baseRevision).orElseThrow().snapshot();
        DeclarativeConfig.Applied applied = config.apply(new Change(by, "rollout " + row.id + " aborted: " + reason, true),
                base, true, Precondition.NONE);
        row.abortRevision = applied.recorded() ? applied.revision() : null;
        LOG.warnf("Rollout %d aborted by %s: %s; revision %s puts revision %d back", row.id, by, reason,
                row.abortRevision, row.baseRevision);
    }

    private Rollout view(RolloutEntity row, List<DataPlaneStatus> nodes) {
        CohortSelector cohort = CohortSelector.parse(row.cohort).orElseThrow();
        boolean baking = RolloutStates.BAKING.equals(row.state);
        List<Rollout.Member> members = nodes.stream()
                .filter(n -> cohort.matches(n.nodeId(), n.labels()))
                .map(n -> new Rollout.Member(n.nodeId(), n.labels(), n.connected(), n.appliedRevision(),
                        n.targetRevision() != null ? n.targetRevision() : row.revision, n.syncState().name()))
                .toList();
        GateReadings readings = readings(row.readings);
        return new Rollout(row.id, row.state, row.revision, row.baseRevision, row.cohort, Durations.format(Duration.ofMillis(row.bakeTimeMs)),
                new RolloutPolicy.AbortOn(row.abortOnNack, row.errorRateIncrease, row.p99Increase), row.autoPromote, row.author,
                row.startedAt, row.bakeEndsAt, row.endedAt, row.endedBy, row.reason, row.abortRevision,
                row.owner, baking ? row.leaseUntil : null, baking ? waitingFor(row) : null, members, readings);
    }

    private static String waitingFor(RolloutEntity row) {
        if (Instant.now().isBefore(row.bakeEndsAt)) {
            return "bakeTime";
        }
        return row.autoPromote ? "heartbeats" : "promote";
    }

    String json(GateReadings readings) {
        try {
            return json.writeValueAsString(readings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("gate readings must serialize", e);
        }
    }

    private GateReadings readings(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, GateReadings.class);
        } catch (JsonProcessingException e) {
            LOG.debugf("Unreadable gate readings: %s", e.getOriginalMessage());
            return null;
        }
    }
}
