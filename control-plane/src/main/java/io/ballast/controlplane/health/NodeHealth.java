package io.ballast.controlplane.health;

import java.time.Instant;

/**
 * What one data plane says about one backend.
 *
 * @param state    reported state ({@code healthy}, {@code unhealthy}, {@code ejected}, {@code draining} …),
 *                 {@code unknown} when the data plane has reported nothing yet
 * @param reason   reason code of the last transition, e.g. {@code unhealthy:ConnectionRefused}
 * @param at       when the data plane saw the transition
 * @param inFlight requests in flight from this data plane, per its latest heartbeat
 */
public record NodeHealth(String nodeId, String state, String reason, Instant at, int inFlight) {
}
