package io.ballast.wire.v1;

import java.util.List;

/**
 * Control plane → data plane: what the assigned probers found for backends this data plane does not probe itself
 * ({@link ProbeAssignment#relayed()}), sent when a verdict changes (and all known ones after an assignment). The
 * data plane applies a verdict only to a backend it currently relays; its own passive checks stay its own.
 *
 * @param verdicts one per backend whose verdict is new or changed
 */
public record ProbeVerdicts(List<Verdict> verdicts) implements WireMessage {
    public ProbeVerdicts {
        verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
    }

    /**
     * @param healthy whether the backend passes its active check, by the majority of its probers that have a verdict
     * @param reason  e.g. {@code healthy}, {@code unhealthy:Timeout} (a failing prober's reason)
     */
    public record Verdict(String pool, String backend, boolean healthy, String reason) {
    }
}
