package io.ballast.controlplane.rollout;

import io.ballast.controlplane.config.ResourceConflictException;
import io.ballast.controlplane.revision.Change;
import io.ballast.controlplane.revision.Revision;
import io.ballast.controlplane.revision.WriteHook;
import io.ballast.model.Durations;
import io.ballast.model.validation.InvalidConfigException;
import io.ballast.model.validation.Violation;
import io.quarkus.arc.Arc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Inside every write's transaction (the configuration lock held): refuses a write while a rollout
 * bakes, unless it is forced, in which case the forced revision supersedes the rollout (its change
 * stays in the configuration and goes to the whole fleet); and starts a rollout for a write that
 * asked for {@code ?rollout=canary}. Both in the write's transaction, so the revision and the split
 * commit together: no instance can push the new revision before it knows it is a canary.
 */
@ApplicationScoped
public class RolloutStarter implements WriteHook {
    private static final Logger LOG = Logger.getLogger(RolloutStarter.class);

    private final RolloutRepository rollouts;
    private final RolloutPolicies policies;
    private final RolloutOutcome outcome;

    RolloutStarter(RolloutRepository rollouts, RolloutPolicies policies, RolloutOutcome outcome) {
        this.rollouts = rollouts;
        this.policies = policies;
        this.outcome = outcome;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void recorded(Change change, Revision revision, long previous) {
        rollouts.bakingForUpdate().ifPresent(baking -> {
            if (!change.force()) {
                throw new ResourceConflictException("rollout " + baking.id + " is baking revision " + baking.revision
                        + "; promote or abort it first (POST /api/v1/rollouts/" + baking.id + "/promote or /abort),"
                        + " or repeat the write with ?force=true to supersede it");
            }
            baking.state = RolloutStates.PROMOTED;
            baking.endedAt = Instant.now();
            baking.endedBy = change.author();
            baking.reason = "superseded by revision " + revision.number() + ", written with force=true: the change stays"
                    + " in the configuration and goes to the whole fleet";
            rollouts.flush();
            LOG.infof("Rollout %d superseded by forced revision %d", baking.id, revision.number());
        });
        if (change.canary() != null && previous > 0) {
            start(change, revision, previous);
        }
    }

    private void start(Change change, Revision revision, long previous) {
        RolloutPolicy policy = policies.current();
        String cohort = change.canary().cohort() != null ? change.canary().cohort() : policy.cohort();
        if (cohort == null) {
            throw new InvalidConfigException(List.of(new Violation("cohort",
                    "no cohort: give ?cohort=k=v or ?cohort=percent:N, or set one in PUT /api/v1/rollouts/policy")));
        }
        Duration bake = change.canary().bakeTime() != null ? change.canary().bakeTime() : Durations.parse(policy.bakeTime());
        RolloutEntity row = new RolloutEntity();
        row.revision = revision.number();
        row.baseRevision = previous;
        row.state = RolloutStates.BAKING;
        row.cohort = cohort;
        row.bakeTimeMs = bake.toMillis();
        row.abortOnNack = policy.abortOn().nack();
        row.errorRateIncrease = policy.abortOn().errorRateIncrease();
        row.p99Increase = policy.abortOn().p99Increase();
        row.autoPromote = policy.autoPromote();
        row.author = change.author();
        row.startedAt = Instant.now();
        row.bakeEndsAt = row.startedAt.plus(bake);
        rollouts.persist(row);
        rollouts.flush();
        if (Arc.container().requestContext().isActive()) {
            outcome.started(row.id);
        }
        LOG.infof("Rollout %d: revision %d to cohort %s for %s (the rest keeps revision %d)", row.id, row.revision, cohort,
                Durations.format(bake), previous);
    }
}
