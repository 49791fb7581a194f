package io.ballast.controlplane.health;

import java.time.Instant;

/**
 * One reported transition. {@code id} orders the history (arrival order) and is the paging cursor.
 *
 * @param at         when the data plane saw it
 * @param receivedAt when this control plane stored it
 */
public record HealthEvent(long id, String nodeId, String pool, String backend, String state, String reason, Instant at,
                          Instant receivedAt) {
}
