package io.ballast.controlplane.fleet;

import io.ballast.controlplane.persistence.ConfigRows;
import io.ballast.model.validation.Violation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Records, per revision and node, the first answer and how long it took from the revision's commit,
 * and feeds acks into the {@code ballast_propagation_seconds} histogram of {@code /q/metrics}.
 * Only acks from nodes that were already connected when the revision was committed enter the
 * histogram: a node that joins a day later did not take a day to converge. Stateless.
 */
@ApplicationScoped
public class PropagationLog {
    private final EntityManager em;
    private final Timer propagation;

    PropagationLog(EntityManager em, MeterRegistry metrics) {
        this.em = em;
        this.propagation = Timer.builder("ballast.propagation")
                .description("Time from a revision's commit to a data plane's ack")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(metrics);
    }

    /** Inside the caller's transaction; a second answer from the same node for the same revision is ignored. */
    @Transactional(Transactional.TxType.MANDATORY)
    void answered(String nodeId, long revision, PropagationStatus status, List<Violation> errors, Instant at,
                  Instant nodeConnectedAt) {
        Optional<Instant> committed = committedAt(revision);
        if (committed.isEmpty()) {
            return;
        }
        Duration latency = Duration.between(committed.get(), at);
        if (latency.isNegative()) {
            latency = Duration.ZERO;
        }
        int inserted = em.createNativeQuery("""
                        INSERT INTO revision_propagation (revision, node_id, status, answered_at, latency_ms, errors)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING""")
                .setParameter(1, revision)
                .setParameter(2, nodeId)
                .setParameter(3, status.name().toLowerCase(java.util.Locale.ROOT))
                .setParameter(4, at)
                .setParameter(5, latency.toMillis())
                .setParameter(6, errors.isEmpty() ? null : ConfigRows.json(errors))
                .executeUpdate();
        if (inserted == 1 && status == PropagationStatus.ACKED && nodeConnectedAt != null
                && !nodeConnectedAt.isAfter(committed.get())) {
            propagation.record(latency);
        }
    }

    /** Answers recorded for {@code revision}, by node id. */
    @Transactional(Transactional.TxType.MANDATORY)
    List<Answer> answers(long revision) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT node_id, status, answered_at, latency_ms, errors FROM revision_propagation
                        WHERE revision = ?1 ORDER BY node_id""")
                .setParameter(1, revision)
                .getResultList();
        return rows.stream().map(r -> new Answer((String) r[0],
                PropagationStatus.valueOf(((String) r[1]).toUpperCase(java.util.Locale.ROOT)),
                instant(r[2]), ((Number) r[3]).longValue(), (String) r[4])).toList();
    }

    private Optional<Instant> committedAt(long revision) {
        List<?> rows = em.createNativeQuery("SELECT created_at FROM revisions WHERE number = ?1")
                .setParameter(1, revision)
                .getResultList();
        return rows.stream().findFirst().map(PropagationLog::instant);
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }

    /** A stored answer; {@code errorsJson} is null for an ack. */
    record Answer(String nodeId, PropagationStatus status, Instant at, long latencyMs, String errorsJson) {
    }
}
