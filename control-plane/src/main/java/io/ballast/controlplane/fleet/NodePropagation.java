package io.ballast.controlplane.fleet;

import io.ballast.model.validation.Violation;
import java.time.Instant;
import java.util.List;

/**
 * One node's answer to one revision, as {@code GET /api/v1/revisions/{n}} shows it.
 *
 * @param latencyMs time from the revision's commit to the node's first answer; null while none came
 * @param errors    the node's reasons for a nack; empty otherwise
 */
public record NodePropagation(String nodeId, PropagationStatus status, Instant answeredAt, Long latencyMs,
                              List<Violation> errors) {
    public NodePropagation {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }
}
