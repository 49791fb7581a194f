package io.ballast.controlplane.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs a unit of database work again while it fails transiently ({@link TransientFailures}, or a
 * {@link CommitOutcomeUnknownException}), with exponential backoff and jitter, until a deadline:
 * long enough to ride out a primary failover (Patroni promotes a replica within its {@code ttl}),
 * short enough that a caller waiting on an HTTP answer hears 503 rather than nothing. The work must
 * start a transaction of its own per attempt and be safe to run again (see
 * {@link io.ballast.controlplane.revision.ConfigWriter}). Blocks the calling thread while it waits:
 * call it from a worker thread, never from an event loop. Thread-safe (stateless).
 */
@ApplicationScoped
public class TransactionRetry {
    private static final Logger LOG = Logger.getLogger(TransactionRetry.class);

    private final Duration timeout;
    private final Duration readTimeout;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    TransactionRetry(@ConfigProperty(name = "ballast.db.retry.timeout", defaultValue = "20s") Duration timeout,
                     @ConfigProperty(name = "ballast.db.retry.read-timeout", defaultValue = "5s") Duration readTimeout,
                     @ConfigProperty(name = "ballast.db.retry.initial-backoff", defaultValue = "50ms") Duration initialBackoff,
                     @ConfigProperty(name = "ballast.db.retry.max-backoff", defaultValue = "1s") Duration maxBackoff) {
        this.timeout = timeout;
        this.readTimeout = readTimeout;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /**
     * @param what   names the work in log lines
     * @param work   one attempt: a whole transaction
     * @throws DatabaseUnavailableException when every attempt failed transiently until the deadline
     */
    public <T> T run(String what, Supplier<T> work) {
        return run(what, work, timeout);
    }

    /**
     * Like {@link #run}, with the shorter budget for reads that come before a request's real work
     * (a token check): a failover's broken pooled connections are ridden out, while a database that
     * is really away answers 503 soon rather than after the write budget.
     */
    public <T> T runRead(String what, Supplier<T> work) {
        return run(what, work, readTimeout);
    }

    private <T> T run(String what, Supplier<T> work, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long backoff = initialBackoff.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                T result = work.get();
                if (attempt > 1) {
                    LOG.infof("%s succeeded on attempt %d", what, attempt);
                }
                return result;
            } catch (RuntimeException e) {
                if (!(e instanceof CommitOutcomeUnknownException) && !TransientFailures.isTransient(e)) {
                    throw e;
                }
                long sleep = ThreadLocalRandom.current().nextLong(backoff / 2, backoff + 1);
                if (System.nanoTime() + sleep * 1_000_000 > deadline) {
                    throw new DatabaseUnavailableException("the database stayed unavailable for " + timeout.toSeconds()
                            + " s (" + what + ", " + attempt + " attempts)", e);
                }
                LOG.warnf("%s failed on attempt %d (%s); retrying in %d ms", what, attempt, rootMessage(e), sleep);
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new DatabaseUnavailableException("interrupted while waiting for the database (" + what + ")", e);
                }
                backoff = Math.min(maxBackoff.toMillis(), backoff * 2);
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /**
     * The work itself completed but its COMMIT failed, so whether it took effect is unknown: the
     * next attempt must find out before applying anything again.
     */
    public static final class CommitOutcomeUnknownException extends RuntimeException {
        public CommitOutcomeUnknownException(Throwable cause) {
            super("the connection failed during commit; the outcome is unknown", cause);
        }
    }
}
