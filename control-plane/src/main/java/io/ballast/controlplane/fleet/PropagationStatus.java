package io.ballast.controlplane.fleet;

/** What one node did with one revision. */
public enum PropagationStatus {
    /** Applied (or already running it) and said so. */
    ACKED,
    /** Refused it; the node kept its previous config. */
    NACKED,
    /** Connected, running an older revision, no answer yet. */
    PENDING,
    /** Never answered this one but runs a newer revision: pushes collapse to the newest. */
    SKIPPED,
    /** Outside the cohort of the canary rollout baking this revision: held on the previous one until it is promoted. */
    HELD
}
