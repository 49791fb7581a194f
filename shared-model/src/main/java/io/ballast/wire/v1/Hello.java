package io.ballast.wire.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param features        optional protocol features the data plane understands, e.g. {@link #DELTA}; absent
 *                        (an older data plane) means none, and a control plane ignores names it does not know
 */
public record Hello(String nodeId, String hostname, String version, Map<String, String> labels,
                    Long appliedRevision, String appliedHash, List<HealthReport.Observation> health,
                    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> features) implements WireMessage {
    /** The feature of a data plane that applies {@link SnapshotDelta} frames (and answers {@link Resync}). */
    public static final String DELTA = "delta";
    /** The feature of a data plane that reads large frames sent as gzip binary messages ({@link Gzip}). */
    public static final String GZIP = "gzip";
    /** It enforces the {@link RateLimitShare} it is sent for {@code scope: fleet} rate limits. */
    public static final String RATE_LIMIT_SHARE = "rate-limit-share";
    /** It probes only what {@link ProbeAssignment} leaves it and applies {@link ProbeVerdicts} to the rest. */
    public static final String PROBE_ASSIGNMENT = "probe-assignment";

    public Hello {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        health = health == null ? null : List.copyOf(health);
        features = features == null ? List.of() : List.copyOf(features);
    }

    /** A hello without features (as data planes before the {@code features} field sent it). */
    public Hello(String nodeId, String hostname, String version, Map<String, String> labels,
                 Long appliedRevision, String appliedHash, List<HealthReport.Observation> health) {
        this(nodeId, hostname, version, labels, appliedRevision, appliedHash, health, null);
    }

    /** Whether the data plane said it supports {@code feature}; unknown features are ignored. */
    public boolean supports(String feature) {
        return features.contains(feature);
    }

    /** A hello without health (as data planes before the {@code health} field sent it). */
    public Hello(String nodeId, String hostname, String version, Map<String, String> labels,
                 Long appliedRevision, String appliedHash) {
        this(nodeId, hostname, version, labels, appliedRevision, appliedHash, null);
    }
}
