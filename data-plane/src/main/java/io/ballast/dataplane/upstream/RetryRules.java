package io.ballast.dataplane.upstream;

import io.ballast.model.FailureKind;
import io.ballast.model.RetryPolicy;
import java.util.Set;

/**
 * A pool's {@code retries} parsed once when the routing table is built, so a failed attempt costs a few bit
 * tests: which attempt outcomes are retried ({@link FailureKind#covers}), which answers, how many attempts,
 * the per-try deadline and whether non-idempotent methods may be sent again. Immutable and thread-safe.
 */
public final class RetryRules {
    private final int attempts;
    private final int outcomes;
    private final boolean anyStatus;
    private final boolean gatewayStatus;
    private final long perTryTimeoutMillis;
    private final boolean nonIdempotent;

    RetryRules(RetryPolicy policy) {
        Set<FailureKind> on = FailureKind.parse(policy.on());
        int mask = 0;
        for (FailureKind observed : new FailureKind[] {
                FailureKind.CONNECT_FAILURE, FailureKind.REFUSED_STREAM, FailureKind.RESET, FailureKind.TIMEOUT}) {
            for (FailureKind value : on) {
                if (value.covers(observed)) {
                    mask |= 1 << observed.ordinal();
                }
            }
        }
        this.outcomes = mask;
        this.anyStatus = on.contains(FailureKind.SERVER_ERROR);
        this.gatewayStatus = anyStatus || on.contains(FailureKind.GATEWAY_ERROR);
        this.attempts = policy.attempts();
        this.perTryTimeoutMillis = policy.perTryTimeout() == null ? 0 : Math.max(1, policy.perTryTimeout().toMillis());
        this.nonIdempotent = policy.retriesNonIdempotent();
    }

    /** Total attempts including the first. */
    public int attempts() {
        return attempts;
    }

    /** Whether an attempt that ended in {@code observed} (connect-failure, refused-stream, reset, timeout) is retried. */
    public boolean retries(FailureKind observed) {
        return (outcomes & (1 << observed.ordinal())) != 0;
    }

    /** Whether an attempt the backend answered with {@code status} is retried. */
    public boolean retriesStatus(int status) {
        return status >= 500 && (anyStatus || (gatewayStatus && status >= 502 && status <= 504));
    }

    /** Milliseconds one attempt may wait for its response head; 0: no per-try deadline. */
    public long perTryTimeoutMillis() {
        return perTryTimeoutMillis;
    }

    public boolean nonIdempotent() {
        return nonIdempotent;
    }
}
