package io.ballast.controlplane.health;

import java.time.Instant;

/**
 * One reported transition. {@code id} orders the history (arrival order) and is the paging cursor.
 *
 * @param from       the state the backend left on this node (null for the node's first report)
 * @param at         when the data plane saw it (its arrival, when the data plane's stamp predates the state it leaves)
 * @param receivedAt when this control plane stored it
 */
public record HealthEvent(long id, String nodeId, String pool, String backend, String from, String state, String reason, Instant at,
                          Instant receivedAt) {
}
