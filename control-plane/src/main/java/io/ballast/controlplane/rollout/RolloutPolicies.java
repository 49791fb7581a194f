package io.ballast.controlplane.rollout;

import io.ballast.model.Durations;
import io.ballast.model.validation.InvalidConfigException;
import io.ballast.model.validation.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The stored defaults of {@code ?rollout=canary}. Thread-safe (stateless). */
@ApplicationScoped
public class RolloutPolicies {
    static final Duration MIN_BAKE = Duration.ofSeconds(1);
    static final Duration MAX_BAKE = Duration.ofHours(24);
    private static final Duration DEFAULT_BAKE = Duration.ofSeconds(60);

    /** The policy with every field filled in. */
    @Transactional
    public RolloutPolicy current() {
        RolloutPolicyEntity row = RolloutPolicyEntity.findById(1);
        if (row == null) {
            return defaults();
        }
        return new RolloutPolicy(row.cohort, Durations.format(Duration.ofMillis(row.bakeTimeMs)),
                new RolloutPolicy.AbortOn(row.abortOnNack, row.errorRateIncrease, row.p99Increase), row.autoPromote);
    }

    /** Replaces the policy; absent fields take the built-in defaults. */
    @Transactional
    public RolloutPolicy replace(RolloutPolicy wanted, String author) {
        RolloutPolicy resolved = resolve(wanted);
        RolloutPolicyEntity row = RolloutPolicyEntity.findById(1);
        if (row == null) {
            row = new RolloutPolicyEntity();
            row.id = 1;
        }
        row.cohort = resolved.cohort();
        row.bakeTimeMs = Durations.parse(resolved.bakeTime()).toMillis();
        row.abortOnNack = resolved.abortOn().nack();
        row.errorRateIncrease = resolved.abortOn().errorRateIncrease();
        row.p99Increase = resolved.abortOn().p99Increase();
        row.autoPromote = resolved.autoPromote();
        row.updatedAt = Instant.now();
        row.updatedBy = author;
        row.persist();
        return current();
    }

    static RolloutPolicy defaults() {
        return new RolloutPolicy(null, Durations.format(DEFAULT_BAKE), new RolloutPolicy.AbortOn(true, 1.0, 50.0), true);
    }

    /** {@code wanted} checked, its absent fields filled from the defaults. */
    static RolloutPolicy resolve(RolloutPolicy wanted) {
        List<Violation> errors = new ArrayList<>();
        RolloutPolicy d = defaults();
        if (wanted == null) {
            return d;
        }
        if (wanted.cohort() != null) {
            CohortSelector.problem(wanted.cohort()).ifPresent(p -> errors.add(new Violation("cohort", p)));
        }
        String bake = d.bakeTime();
        if (wanted.bakeTime() != null) {
            bakeTime(wanted.bakeTime(), "bakeTime", errors);
            bake = wanted.bakeTime();
        }
        RolloutPolicy.AbortOn on = wanted.abortOn() == null ? d.abortOn() : wanted.abortOn();
        Boolean nack = on.nack() != null ? on.nack() : d.abortOn().nack();
        Double errorRate = on.errorRateIncrease() != null ? on.errorRateIncrease() : d.abortOn().errorRateIncrease();
        Double p99 = on.p99Increase() != null ? on.p99Increase() : d.abortOn().p99Increase();
        if (errorRate < 0 || errorRate > 100 || errorRate.isNaN()) {
            errors.add(new Violation("abortOn.errorRateIncrease", "must be between 0 and 100 (percentage points)"));
        }
        if (p99 < 0 || p99 > 10_000 || p99.isNaN()) {
            errors.add(new Violation("abortOn.p99Increase", "must be between 0 and 10000 (percent)"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidConfigException(errors);
        }
        return new RolloutPolicy(wanted.cohort(), Durations.format(Durations.parse(bake)), new RolloutPolicy.AbortOn(nack, errorRate, p99),
                wanted.autoPromote() != null ? wanted.autoPromote() : d.autoPromote());
    }

    /** A bake time between 1 s and 24 h, or a violation on {@code field}. */
    public static Duration bakeTime(String text, String field, List<Violation> errors) {
        try {
            Duration d = Durations.parse(text);
            if (d.compareTo(MIN_BAKE) >= 0 && d.compareTo(MAX_BAKE) <= 0) {
                return d;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        errors.add(new Violation(field, "must be a duration from 1s to 24h, such as 90s or 5m"));
        return null;
    }
}
