package io.ballast.model;

import java.util.List;
import java.util.Objects;

/**
 * When a failed attempt is tried again on another backend. Only idempotent requests are retried.
 *
 * @param attempts      total attempts including the first [2]
 * @param on            failure kinds that allow a retry [connect-failure, refused-stream, gateway-error]
 * @param budgetPercent retries may add at most this share of the pool's requests [20]
 */
public record RetryPolicy(Integer attempts, List<String> on, Integer budgetPercent) {

    public static final List<String> DEFAULT_ON = List.of("connect-failure", "refused-stream", "gateway-error");
    public static final RetryPolicy DEFAULT = new RetryPolicy(null, null, null);

    public RetryPolicy {
        attempts = Objects.requireNonNullElse(attempts, 2);
        on = on == null ? DEFAULT_ON : List.copyOf(on);
        budgetPercent = Objects.requireNonNullElse(budgetPercent, 20);
    }
}
