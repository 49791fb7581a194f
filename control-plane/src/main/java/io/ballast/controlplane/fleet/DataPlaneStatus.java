package io.ballast.controlplane.fleet;

import io.ballast.model.validation.Violation;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /api/v1/dataplanes} shows for one node.
 *
 * @param syncState       how far the node is from the newest revision
 * @param connected       a socket is open and the node was heard from within the staleness window
 * @param controlPlane    the id of the control-plane instance that holds (or last held) the socket
 * @param latestRevision  the newest revision
 * @param targetRevision  the revision the node should run, what SYNCED is measured against: the newest one,
 *                        or while a canary rollout bakes and the node is outside its cohort, the one before it
 * @param lastNack        the newest refusal not yet followed by an ack; null when none
 * @param refusedReason   why the control plane refused the node's last hello (its version); null when accepted
 * @param ackWarnings     what its newest ack warned about (a snapshot it could not write to its cache); empty when nothing
 */
public record DataPlaneStatus(String nodeId, String hostname, String version, Map<String, String> labels,
                              SyncState syncState, boolean connected, String controlPlane, Long appliedRevision,
                              String appliedHash, Long latestRevision, Long targetRevision, Instant firstSeen, Instant lastSeen,
                              Instant connectedAt, Instant lastHeartbeatAt, Instant lastAckAt, NackInfo lastNack,
                              String refusedReason, List<String> ackWarnings) {

    /** A refused snapshot and why. */
    public record NackInfo(Long revision, Instant at, List<Violation> errors) {
    }
}
