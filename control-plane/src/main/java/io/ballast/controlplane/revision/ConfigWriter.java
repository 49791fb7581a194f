package io.ballast.controlplane.revision;

import io.ballast.controlplane.persistence.TransactionRetry;
import io.ballast.controlplane.persistence.TransactionRetry.CommitOutcomeUnknownException;
import io.ballast.controlplane.persistence.WriteLedger;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The one way configuration is changed: one transaction that takes a PostgreSQL advisory lock
 * (so writers on every control-plane instance are serialized, and name and If-Match checks inside
 * the change see every committed write), applies the change, and records the resulting revision.
 * Any exception rolls everything back: never a partial write.
 *
 * <p>A write that a lost connection, a failover or a read-only (demoted) server broke is retried in
 * a new transaction ({@link TransactionRetry}). Retrying is safe because each write draws an id
 * before its first attempt and stores it with its outcome ({@link WriteLedger}) in the same
 * transaction: when the connection broke during COMMIT, the next attempt finds the id if the first
 * one committed and answers that result instead of applying the change twice (no double revision,
 * no 409 for a create that did happen). A write called inside a transaction someone else owns
 * joins it and is not retried here: its owner decides.
 */
@ApplicationScoped
public class ConfigWriter {
    private static final Logger LOG = Logger.getLogger(ConfigWriter.class);
    /** "Ballast1" in ASCII: an arbitrary key, fixed so every instance agrees on it. */
    private static final long CONFIG_LOCK = 0x42616c6c61737431L;

    private final EntityManager em;
    private final RevisionRecorder recorder;
    private final RevisionQueries queries;
    private final WriteOutcome outcome;
    private final WriteLedger ledger;
    private final TransactionRetry retry;
    private final Event<PublishedSnapshot> published;
    private final Instance<WriteHook> hooks;

    ConfigWriter(EntityManager em, RevisionRecorder recorder, RevisionQueries queries, WriteOutcome outcome,
                 WriteLedger ledger, TransactionRetry retry, Event<PublishedSnapshot> published, Instance<WriteHook> hooks) {
        this.hooks = hooks;
        this.em = em;
        this.recorder = recorder;
        this.queries = queries;
        this.outcome = outcome;
        this.ledger = ledger;
        this.retry = retry;
        this.published = published;
    }

    /**
     * @param change who and why; its message must be set (see {@link Change#describedAs})
     * @param work   reads and writes entities; its result is returned. It may run more than once (a
     *               retried attempt), each time in a fresh transaction, so it must not change state
     *               outside the database
     */
    public <T> T write(Change change, Supplier<T> work) {
        return writeRecorded(change, work).result();
    }

    /** Like {@link #write}, and also tells which revision is in effect afterwards and whether this write made it. */
    public <T> Written<T> writeRecorded(Change change, Supplier<T> work) {
        Written<T> written = QuarkusTransaction.isActive()
                ? attempt(change, work, UUID.randomUUID())
                : retried(change, work);
        if (Arc.container().requestContext().isActive()) {
            outcome.revision(written.revision());
        }
        return written;
    }

    private <T> Written<T> retried(Change change, Supplier<T> work) {
        UUID writeId = UUID.randomUUID();
        // The latest attempt that ran to its COMMIT without hearing the outcome: the answer if it took effect.
        AtomicReference<Written<T>> unresolved = new AtomicReference<>();
        return retry.run(change.message(), () -> {
            Written<T> before = unresolved.get();
            AtomicReference<Written<T>> completed = new AtomicReference<>();
            try {
                return QuarkusTransaction.requiringNew().call(() -> {
                    if (before != null) {
                        // Under the lock: the earlier attempt's transaction has ended on the server, one way or the other.
                        lock();
                        Optional<Long> committed = ledger.revisionOf(writeId);
                        if (committed.isPresent()) {
                            LOG.infof("'%s' had committed as revision %d before its connection broke", change.message(), committed.get());
                            republish(before);
                            return before;
                        }
                    }
                    Written<T> done = attempt(change, work, writeId);
                    completed.set(done);
                    return done;
                });
            } catch (RuntimeException e) {
                if (completed.get() != null) {
                    // The body ran to its end, so only the COMMIT can have failed.
                    unresolved.set(completed.get());
                    throw new CommitOutcomeUnknownException(e);
                }
                throw e;
            }
        });
    }

    private <T> Written<T> attempt(Change change, Supplier<T> work, UUID writeId) {
        lock();
        T result = work.get();
        em.flush();
        Optional<Revision> recorded = recorder.record(change);
        recorded.ifPresent(r -> hooks.forEach(hook -> hook.recorded(change, r, r.number() - 1)));
        long number = recorded.map(Revision::number).orElseGet(queries::latestNumber);
        ledger.record(writeId, number);
        // Everything reaches the server now: after this only the COMMIT is left to fail.
        em.flush();
        return new Written<>(result, number, recorded.isPresent());
    }

    /**
     * The attempt that committed never told this instance's data planes (its after-commit event did
     * not fire); the revision's NOTIFY may also have been lost with the connection. Announce it
     * again after this transaction commits; sessions skip what they were already sent.
     */
    private void republish(Written<?> written) {
        if (written.recorded()) {
            queries.published(written.revision()).ifPresent(published::fire);
        }
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
