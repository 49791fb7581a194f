package io.ballast.controlplane.api;

import io.ballast.controlplane.rollout.RolloutOutcome;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** A write that started a canary rollout answers {@code X-Ballast-Rollout: <id>} (see {@code /api/v1/rollouts/{id}}). */
public class RolloutHeaderFilter {
    static final String ROLLOUT_HEADER = "X-Ballast-Rollout";

    private final RolloutOutcome outcome;

    RolloutHeaderFilter(RolloutOutcome outcome) {
        this.outcome = outcome;
    }

    @ServerResponseFilter
    public void afterWrite(ContainerResponseContext response) {
        Long rollout = outcome.rollout();
        if (rollout != null && response.getStatusInfo().getFamily() == Response.Status.Family.SUCCESSFUL) {
            response.getHeaders().putSingle(ROLLOUT_HEADER, rollout);
        }
    }
}
