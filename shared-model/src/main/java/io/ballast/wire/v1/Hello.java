package io.ballast.wire.v1;

import java.util.List;
import java.util.Map;

/**
 * Data plane → control plane, first frame after connecting.
 *
 * @param appliedRevision revision the data plane serves now (from the control plane or its cache); null when none
 * @param appliedHash     hash of that snapshot; the control plane skips the push when it is current
 * @param health          the node's full current health, one observation per backend it knows; it
 *                        <em>replaces</em> whatever this node reported before (including reports that
 *                        were lost while it was disconnected). Null (a data plane older than this field)
 *                        leaves the stored observations as they are; an empty list clears them.
 */
public record Hello(String nodeId, String hostname, String version, Map<String, String> labels,
                    Long appliedRevision, String appliedHash, List<HealthReport.Observation> health) implements WireMessage {
    public Hello {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        health = health == null ? null : List.copyOf(health);
    }

    /** A hello without health (as data planes before the {@code health} field sent it). */
    public Hello(String nodeId, String hostname, String version, Map<String, String> labels,
                 Long appliedRevision, String appliedHash) {
        this(nodeId, hostname, version, labels, appliedRevision, appliedHash, null);
    }
}
