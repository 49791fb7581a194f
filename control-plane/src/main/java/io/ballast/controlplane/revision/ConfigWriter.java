package io.ballast.controlplane.revision;

import io.quarkus.arc.Arc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one way configuration is changed: one transaction that takes a PostgreSQL advisory lock
 * (so writers on every control-plane instance are serialized, and name and If-Match checks inside
 * the change see every committed write), applies the change, and records the resulting revision.
 * Any exception rolls everything back: never a partial write.
 */
@ApplicationScoped
public class ConfigWriter {
    /** "Ballast1" in ASCII: an arbitrary key, fixed so every instance agrees on it. */
    private static final long CONFIG_LOCK = 0x42616c6c61737431L;

    private final EntityManager em;
    private final RevisionRecorder recorder;
    private final RevisionQueries queries;
    private final WriteOutcome outcome;

    ConfigWriter(EntityManager em, RevisionRecorder recorder, RevisionQueries queries, WriteOutcome outcome) {
        this.em = em;
        this.recorder = recorder;
        this.queries = queries;
        this.outcome = outcome;
    }

    /**
     * @param change who and why; its message must be set (see {@link Change#describedAs})
     * @param work   reads and writes entities; its result is returned
     */
    @Transactional
    public <T> T write(Change change, Supplier<T> work) {
        return writeRecorded(change, work).result();
    }

    /** Like {@link #write}, and also tells which revision is in effect afterwards and whether this write made it. */
    @Transactional
    public <T> Written<T> writeRecorded(Change change, Supplier<T> work) {
        lock();
        T result = work.get();
        em.flush();
        Optional<Revision> recorded = recorder.record(change);
        long number = recorded.map(Revision::number).orElseGet(() -> queries.latest().map(Revision::number).orElse(0L));
        if (Arc.container().requestContext().isActive()) {
            outcome.revision(number);
        }
        return new Written<>(result, number, recorded.isPresent());
    }

    /**
     * @param revision the revision in effect after the write
     * @param recorded true when the write changed the configuration and so recorded {@code revision}
     */
    public record Written<T>(T result, long revision, boolean recorded) {
    }

    /** Takes the configuration lock in the caller's transaction, e.g. to read a plan that must not race a write. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lock() {
        em.createNativeQuery("SELECT pg_advisory_xact_lock(?1)").setParameter(1, CONFIG_LOCK).getSingleResult();
    }
}
