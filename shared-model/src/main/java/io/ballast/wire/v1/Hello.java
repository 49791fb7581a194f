package io.ballast.wire.v1;

import java.util.Map;

/**
 * Data plane → control plane, first frame after connecting.
 *
 * @param appliedRevision revision the data plane serves now (from the control plane or its cache); null when none
 * @param appliedHash     hash of that snapshot; the control plane skips the push when it is current
 */
public record Hello(String nodeId, String hostname, String version, Map<String, String> labels,
                    Long appliedRevision, String appliedHash) implements WireMessage {
    public Hello {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
