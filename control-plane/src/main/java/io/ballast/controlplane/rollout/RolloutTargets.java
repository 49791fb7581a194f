package io.ballast.controlplane.rollout;

import io.ballast.controlplane.revision.RevisionTargets;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The split a baking rollout asks for: nodes its cohort selects run the newest revision (the
 * rollout's), every other node its base revision. Read from the database each time, in a
 * transaction of its own (callers include after-commit observers), so every control-plane instance
 * pushes the same split the moment the rollout's transaction committed. Thread-safe.
 */
@ApplicationScoped
public class RolloutTargets implements RevisionTargets {
    private final RolloutRepository rollouts;

    RolloutTargets(RolloutRepository rollouts) {
        this.rollouts = rollouts;
    }

    @Override
    public Plan plan() {
        return QuarkusTransaction.requiringNew().call(() -> rollouts.baking().map(RolloutTargets::split).orElse(Plan.NEWEST));
    }

    static Plan split(RolloutEntity rollout) {
        CohortSelector cohort = CohortSelector.parse(rollout.cohort).orElseThrow();
        long base = rollout.baseRevision;
        return (nodeId, labels, latest) -> cohort.matches(nodeId, labels) ? latest : base;
    }
}
