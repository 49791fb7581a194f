package io.ballast.controlplane.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code config_writes} table: which configuration writes committed, by the id each write drew
 * before its first attempt. Read and written inside the write's own transaction, under the config
 * lock, so "committed?" and "apply" cannot interleave with another attempt of the same write.
 */
@ApplicationScoped
public class WriteLedger {
    /** A retry comes within seconds; a day leaves room for clock skew and long outages. */
    private static final String KEEP = "1 day";

    private final EntityManager em;

    WriteLedger(EntityManager em) {
        this.em = em;
    }

    /** The revision recorded for write {@code id} if it committed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Long> revisionOf(UUID id) {
        List<?> rows = em.createNativeQuery("SELECT revision FROM config_writes WHERE write_id = ?1")
                .setParameter(1, id)
                .getResultList();
        return rows.stream().findFirst().map(n -> ((Number) n).longValue());
    }

    /** Notes that write {@code id} commits with the current transaction; prunes rows no retry can ask about. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(UUID id, long revision) {
        em.createNativeQuery("INSERT INTO config_writes (write_id, revision) VALUES (?1, ?2)")
                .setParameter(1, id)
                .setParameter(2, revision)
                .executeUpdate();
        em.createNativeQuery("DELETE FROM config_writes WHERE committed_at < now() - interval '" + KEEP + "'")
                .executeUpdate();
    }
}
