package io.ballast.controlplane.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ballast.controlplane.push.HeartbeatObserver;
import io.ballast.model.json.BallastJson;
import io.ballast.wire.v1.Heartbeat;
import io.ballast.wire.v1.RequestLatency;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Keeps, while a rollout bakes, each node's first and newest heartbeat counters on its target
 * revision: their difference is what the node served on it. In the database, because the heartbeats
 * of one rollout reach every control-plane instance and whichever judges it must see them all.
 * Blocking JDBC: call from a worker thread. Thread-safe (stateless).
 */
@ApplicationScoped
public class RolloutSamples implements HeartbeatObserver {
    private static final Logger LOG = Logger.getLogger(RolloutSamples.class);
    static final String REQUESTS = "requests";
    static final String ERRORS = "responses5xx";

    private final RolloutRepository rollouts;
    private final EntityManager em;

    RolloutSamples(RolloutRepository rollouts, EntityManager em) {
        this.rollouts = rollouts;
        this.em = em;
    }

    /** A heartbeat from {@code nodeId}, which said hello with {@code labels}. */
    @Override
    @Transactional
    public void heartbeat(String nodeId, Map<String, String> labels, Heartbeat heartbeat) {
        RolloutEntity rollout = rollouts.baking().orElse(null);
        if (rollout == null || heartbeat.appliedRevision() == null) {
            return;
        }
        boolean cohort = CohortSelector.parse(rollout.cohort).orElseThrow().matches(nodeId, labels);
        long target = cohort ? rollout.revision : rollout.baseRevision;
        if (heartbeat.appliedRevision() != target) {
            // Still on its way to the target (or back from it): what it serves says nothing about either side.
            return;
        }
        long requests = heartbeat.counters().getOrDefault(REQUESTS, 0L);
        long errors = heartbeat.counters().getOrDefault(ERRORS, 0L);
        String latency = json(heartbeat.durations());
        Timestamp now = Timestamp.from(Instant.now());
        em.createNativeQuery("""
                INSERT INTO rollout_samples (rollout_id, node_id, cohort, first_at, first_requests, first_errors, first_latency,
                                             last_at, last_requests, last_errors, last_latency)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?4, ?5, ?6, ?7)
                ON CONFLICT (rollout_id, node_id) DO UPDATE SET cohort = EXCLUDED.cohort, last_at = EXCLUDED.last_at,
                    last_requests = EXCLUDED.last_requests, last_errors = EXCLUDED.last_errors, last_latency = EXCLUDED.last_latency
                """)
                .setParameter(1, rollout.id).setParameter(2, nodeId).setParameter(3, cohort).setParameter(4, now)
                .setParameter(5, requests).setParameter(6, errors).setParameter(7, latency)
                .executeUpdate();
    }

    /** What every node served on its target revision during rollout {@code rolloutId}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<GateJudge.NodeTraffic> traffic(long rolloutId) {
        List<?> rows = em.createNativeQuery("""
                SELECT node_id, cohort, first_at, last_at, first_requests, last_requests, first_errors, last_errors,
                       first_latency, last_latency
                FROM rollout_samples WHERE rollout_id = ?1 ORDER BY node_id
                """).setParameter(1, rolloutId).getResultList();
        return rows.stream().map(r -> {
            Object[] c = (Object[]) r;
            boolean window = !java.util.Objects.equals(c[2], c[3]);
            long firstRequests = ((Number) c[4]).longValue();
            long lastRequests = ((Number) c[5]).longValue();
            long firstErrors = ((Number) c[6]).longValue();
            long lastErrors = ((Number) c[7]).longValue();
            // Counters that went back: the data plane restarted, and counts again from zero.
            boolean restarted = lastRequests < firstRequests || lastErrors < firstErrors;
            RequestLatency first = latency((String) c[8]);
            RequestLatency last = latency((String) c[9]);
            RequestLatency window0 = last == null ? null : restarted ? last : last.minus(first);
            return new GateJudge.NodeTraffic((String) c[0], (Boolean) c[1], window,
                    restarted ? lastRequests : lastRequests - firstRequests,
                    restarted ? lastErrors : lastErrors - firstErrors, window0);
        }).toList();
    }

    private static String json(RequestLatency latency) {
        if (latency == null) {
            return null;
        }
        try {
            return BallastJson.lenient().writeValueAsString(latency);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a latency record must serialize", e);
        }
    }

    private static RequestLatency latency(String json) {
        if (json == null) {
            return null;
        }
        try {
            return BallastJson.lenient().readValue(json, RequestLatency.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.debugf("Unreadable latency sample: %s", e.getMessage());
            return null;
        }
    }
}
