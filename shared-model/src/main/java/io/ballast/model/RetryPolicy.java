package io.ballast.model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * When a failed attempt is tried again on another backend. Only requests that can be sent again unchanged are
 * retried: idempotent methods (RFC 9110 §9.2.2) unless {@code nonIdempotent}, with a body small enough to be
 * kept, and never once the client has a response head.
 *
 * @param attempts      total attempts including the first [2]
 * @param on            failure kinds that allow a retry ({@link FailureKind}) [connect-failure, refused-stream, gateway-error]
 * @param budgetPercent retries may add at most this share of the pool's requests [20]
 * @param perTryTimeout an attempt without a response head after this long is abandoned; with {@code timeout}
 *                      in {@code on} it is retried, else answered 504 [none: only {@code timeouts.request}]
 * @param nonIdempotent also retry POST, PATCH and other non-idempotent methods [false]
 */
public record RetryPolicy(Integer attempts, List<String> on, Integer budgetPercent, Duration perTryTimeout, Boolean nonIdempotent) {

    public static final List<String> DEFAULT_ON = List.of("connect-failure", "refused-stream", "gateway-error");
    public static final RetryPolicy DEFAULT = new RetryPolicy(null, null, null, null, null);

    public RetryPolicy {
        attempts = Objects.requireNonNullElse(attempts, 2);
        on = on == null ? DEFAULT_ON : List.copyOf(on);
        budgetPercent = Objects.requireNonNullElse(budgetPercent, 20);
    }

    /** {@code nonIdempotent} read with its default; the field itself stays null when not given, so configs
     * written before it existed keep their canonical form and hash. */
    public boolean retriesNonIdempotent() {
        return Boolean.TRUE.equals(nonIdempotent);
    }
}
