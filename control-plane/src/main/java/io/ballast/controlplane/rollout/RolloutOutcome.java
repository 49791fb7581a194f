package io.ballast.controlplane.rollout;

import jakarta.enterprise.context.RequestScoped;

/** The rollout this request's write started, for the {@code X-Ballast-Rollout} answer header. Null when none. */
@RequestScoped
public class RolloutOutcome {
    private Long rollout;

    public Long rollout() {
        return rollout;
    }

    void started(long id) {
        this.rollout = id;
    }
}
