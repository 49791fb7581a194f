package io.ballast.controlplane.revision;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.function.Supplier;

/**
 * The one way configuration is changed: one transaction that takes a PostgreSQL advisory lock
 * (so writers on every control-plane instance are serialized, and name checks inside the change
 * see every committed write), applies the change, and records the resulting revision. Any exception
 * rolls everything back: never a partial write.
 */
@ApplicationScoped
public class ConfigWriter {
    /** "Ballast1" in ASCII: an arbitrary key, fixed so every instance agrees on it. */
    private static final long CONFIG_LOCK = 0x42616c6c61737431L;

    private final EntityManager em;
    private final RevisionRecorder recorder;

    ConfigWriter(EntityManager em, RevisionRecorder recorder) {
        this.em = em;
        this.recorder = recorder;
    }

    /**
     * @param author  the token name that made the change
     * @param message why, in the author's words (may be null)
     * @param change  reads and writes entities; its result is returned
     */
    @Transactional
    public <T> T write(String author, String message, Supplier<T> change) {
        em.createNativeQuery("SELECT pg_advisory_xact_lock(?1)").setParameter(1, CONFIG_LOCK).getSingleResult();
        T result = change.get();
        em.flush();
        recorder.record(author, message);
        return result;
    }
}
