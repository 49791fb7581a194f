package io.ballast.controlplane.rollout;

/**
 * The defaults of {@code ?rollout=canary} ({@code GET, PUT /api/v1/rollouts/policy}), and the
 * settings a rollout was started with. Absent fields in a PUT take the built-in defaults.
 *
 * @param cohort      label selector {@code k=v[,k=v]} or {@code percent:N}; null: a write must name its cohort
 * @param bakeTime    how long the cohort runs the revision before it is judged [60s]
 * @param abortOn     what aborts it
 * @param autoPromote promote when the bake time is over and no gate tripped [true]; false: wait for {@code promote}
 */
public record RolloutPolicy(String cohort, String bakeTime, AbortOn abortOn, Boolean autoPromote) {

    /**
     * @param nack              abort when a data plane refuses the revision [true]
     * @param errorRateIncrease abort when the cohort's 5xx rate exceeds the rest of the fleet's by more
     *                          than this many percentage points [1.0]
     * @param p99Increase       abort when the cohort's p99 exceeds the rest's by more than this percent [50]
     */
    public record AbortOn(Boolean nack, Double errorRateIncrease, Double p99Increase) {
    }
}
