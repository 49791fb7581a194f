package io.ballast.wire.v1;

import java.util.List;

/**
 * Control plane → data plane (only to one that announced {@link Hello#PROBE_ASSIGNMENT}): the backends this data
 * plane does <em>not</em> actively probe, because other data planes do and the control plane relays their verdicts
 * ({@link ProbeVerdicts}). Every backend not listed, including one added by a snapshot newer than this frame, is
 * probed here as before, so a missing or late frame only costs probes, never verdicts. Each frame replaces the last.
 * A data plane drops the assignment when it loses the control plane and probes everything again.
 *
 * @param relayed    backends whose verdicts come from the control plane
 * @param dataPlanes the connected data planes the assignment was computed over (for logs and {@code /status})
 */
public record ProbeAssignment(List<BackendRef> relayed, int dataPlanes) implements WireMessage {
    public ProbeAssignment {
        relayed = relayed == null ? List.of() : List.copyOf(relayed);
    }

    /** One backend by pool and backend name, as in {@link HealthReport.Observation}. */
    public record BackendRef(String pool, String backend) {
    }
}
