package io.ballast.controlplane.rollout;

/** The values of {@code rollouts.state}, as the API spells them. */
final class RolloutStates {
    static final String BAKING = "baking";
    static final String PROMOTED = "promoted";
    static final String ABORTED = "aborted";

    private RolloutStates() {
    }
}
