package io.ballast.dataplane.proxy;

import io.ballast.dataplane.upstream.UpstreamPool;
import io.ballast.model.RetryPolicy;
import io.netty.handler.codec.http.HttpMethod;

/**
 * Decides whether a failed attempt is tried again on another member. Only a request that can be sent again
 * unchanged: idempotent, without a body (it was not buffered), and nothing sent to the client yet, within the
 * pool's attempts and retry budget. A failure before the response head means the backend refused or dropped
 * the connection (a stale keep-alive connection, a process that just died); {@code gateway-error} covers both
 * kinds, as outlier detection counts them. Not thread-safe; one instance per request.
 */
final class RetryState {
    private final UpstreamPool pool;
    private final boolean replayable;

    RetryState(UpstreamPool pool, HttpMethod method, boolean hasBody) {
        this.pool = pool;
        this.replayable = !hasBody && idempotent(method);
    }

    /** RFC 9110 §9.2.2. */
    static boolean idempotent(HttpMethod m) {
        return m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS || m == HttpMethod.TRACE
                || m == HttpMethod.PUT || m == HttpMethod.DELETE;
    }

    /**
     * @param kind     {@code connect-failure} or {@code reset}
     * @param tried    attempts made so far
     * @param headSent whether the client already has a response head
     */
    boolean mayRetry(String kind, int tried, boolean headSent) {
        RetryPolicy retries = pool.config().retries();
        return replayable && !headSent && tried < retries.attempts()
                && (retries.on().contains(kind) || retries.on().contains("gateway-error"))
                && pool.retryBudget().tryRetry();
    }
}
