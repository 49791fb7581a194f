package io.ballast.dataplane.proxy;

import io.ballast.dataplane.upstream.RetryRules;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.ballast.model.FailureKind;
import io.netty.handler.codec.http.HttpMethod;

/**
 * Decides whether an attempt that failed, timed out or was answered with an error status is tried again on
 * another member. Only a request that can be sent again unchanged: an idempotent method (or any, with
 * {@code retries.nonIdempotent}), a body that was kept whole ({@link RequestReplay}), nothing sent to the client
 * yet, and attempts left; the pool's retry budget is asked last, once another member is known
 * ({@link #takeBudget}). Which outcomes count is the pool's {@code retries.on}, parsed once into
 * {@link RetryRules}. Not thread-safe; one instance per request.
 */
final class RetryState {
    private final UpstreamPool pool;
    private final RetryRules rules;
    private final boolean methodAllowed;

    RetryState(UpstreamPool pool, HttpMethod method) {
        this.pool = pool;
        this.rules = pool.retryRules();
        this.methodAllowed = rules.attempts() > 1 && (rules.nonIdempotent() || idempotent(method));
    }

    /** RFC 9110 §9.2.2. */
    static boolean idempotent(HttpMethod m) {
        return m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS || m == HttpMethod.TRACE
                || m == HttpMethod.PUT || m == HttpMethod.DELETE;
    }

    /** Whether a body is worth keeping for a second attempt at all. */
    boolean mayEverRetry() {
        return methodAllowed;
    }

    /**
     * Whether an attempt that ended in {@code observed} may be retried, budget aside.
     *
     * @param tried      attempts made so far
     * @param headSent   whether the client already has a response head
     * @param replayable whether the request (its body included) can be sent again
     */
    boolean mayRetry(FailureKind observed, int tried, boolean headSent, boolean replayable) {
        return methodAllowed && replayable && !headSent && tried < rules.attempts() && rules.retries(observed);
    }

    /** Whether an attempt answered with {@code status} may be retried, budget aside. */
    boolean mayRetryStatus(int status, int tried, boolean headSent, boolean replayable) {
        return methodAllowed && replayable && !headSent && tried < rules.attempts() && rules.retriesStatus(status);
    }

    /** Takes one retry from the pool's budget; false when it is spent. */
    boolean takeBudget() {
        return pool.retryBudget().tryRetry();
    }
}
