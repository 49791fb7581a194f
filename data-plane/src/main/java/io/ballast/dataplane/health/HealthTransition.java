package io.ballast.dataplane.health;

/**
 * A change of a backend's health state.
 *
 * @param from   the state before
 * @param to     the state after
 * @param reason {@code healthy}, {@code unhealthy:Timeout}, {@code unhealthy:ConnectionRefused} …
 * @param at     epoch millis
 */
public record HealthTransition(HealthState from, HealthState to, String reason, long at) {
}
