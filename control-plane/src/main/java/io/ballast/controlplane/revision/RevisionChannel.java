package io.ballast.controlplane.revision;

import jakarta.persistence.EntityManager;

/** The PostgreSQL notification channel on which committed revision numbers are announced. */
public final class RevisionChannel {
    public static final String NAME = "ballast_revisions";

    private RevisionChannel() {
    }

    /**
     * Queues the announcement of {@code revision} in the current transaction: PostgreSQL delivers it
     * to every listener when, and only when, the transaction commits.
     */
    public static void announce(EntityManager em, long revision) {
        em.createNativeQuery("SELECT pg_notify(?1, ?2)")
                .setParameter(1, NAME)
                .setParameter(2, Long.toString(revision))
                .getSingleResult();
    }
}
