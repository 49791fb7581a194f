package io.ballast.controlplane.fleet;

import io.ballast.model.validation.Violation;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /api/v1/dataplanes} shows for one node.
 *
 * @param connected    a socket is open and the node was heard from within the staleness window
 * @param controlPlane the id of the control-plane instance that holds (or last held) the socket
 * @param lastNack     the newest refusal not yet followed by an ack; null when none
 */
public record DataPlaneStatus(String nodeId, String hostname, String version, Map<String, String> labels,
                              boolean connected, String controlPlane, Long appliedRevision, String appliedHash,
                              Instant firstSeen, Instant lastSeen, Instant connectedAt, Instant lastAckAt,
                              NackInfo lastNack) {

    /** A refused snapshot and why. */
    public record NackInfo(Long revision, Instant at, List<Violation> errors) {
    }
}
