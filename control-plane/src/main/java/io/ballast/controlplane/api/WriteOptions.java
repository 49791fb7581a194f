package io.ballast.controlplane.api;

import io.ballast.controlplane.config.Precondition;
import io.ballast.controlplane.revision.Change;
import io.ballast.controlplane.rollout.CohortSelector;
import io.ballast.controlplane.rollout.RolloutPolicies;
import io.ballast.model.Durations;
import io.ballast.model.validation.Violation;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * What every configuration write accepts besides its body. Parsed before anything is written, so a
 * bad parameter can never follow a successful write with an error.
 */
public class WriteOptions {
    static final String MESSAGE_HEADER = "X-Ballast-Change-Message";
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);
    static final Duration MAX_WAIT = Duration.ofMinutes(5);
    private static final int MAX_MESSAGE = 1000;

    @HeaderParam(MESSAGE_HEADER)
    @Parameter(description = "Why the change is made; stored with the revision (at most 1000 characters)")
    public String message;

    @HeaderParam("If-Match")
    @Parameter(description = "Only write if the resource still has this ETag (for /config and rollbacks: the latest revision number); 412 otherwise")
    public String ifMatch;

    @QueryParam("force")
    @Parameter(description = "true: do it even if a pool would be left with no enabled backend (otherwise 409)")
    public String force;

    @QueryParam("wait")
    @Parameter(description = "converged: answer only when every connected data plane has applied the new revision (202 with the laggards after the timeout)")
    public String waitFor;

    @QueryParam("rollout")
    @Parameter(description = "canary: record the revision but send it only to a cohort of data planes first; the others keep the previous revision until the rollout is promoted (see /api/v1/rollouts)")
    public String rollout;

    @QueryParam("cohort")
    @Parameter(description = "With rollout=canary: which data planes get it, a label selector k=v[,k=v] or percent:N (default: the rollout policy's)")
    public String cohort;

    @QueryParam("bakeTime")
    @Parameter(description = "With rollout=canary: how long the cohort runs it before it is promoted or aborted, e.g. 90s (default: the rollout policy's, 60s)")
    public String bakeTime;

    @QueryParam("timeout")
    @Parameter(description = "How long wait=converged waits, e.g. 500ms, 10s, 1m (default 10s, at most 5m)")
    public String timeout;

    /** Checks every option and returns the change they describe. */
    Change change(SecurityContext security) {
        List<Violation> errors = new ArrayList<>();
        if (message != null && (message.length() > MAX_MESSAGE || message.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            errors.add(new Violation(MESSAGE_HEADER, "at most " + MAX_MESSAGE + " characters without control characters"));
        }
        boolean forced = flag(force, "force", errors);
        waitTimeout(errors);
        Change.Canary canary = canary(errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("bad parameter", errors);
        }
        String text = message == null || message.isBlank() ? null : message.strip();
        return new Change(Authors.of(security), text, forced, canary);
    }

    private Change.Canary canary(List<Violation> errors) {
        if (rollout == null) {
            if (cohort != null || bakeTime != null) {
                errors.add(new Violation(cohort != null ? "cohort" : "bakeTime", "only means something with rollout=canary"));
            }
            return null;
        }
        if (!rollout.equals("canary")) {
            errors.add(new Violation("rollout", "the only value is canary"));
            return null;
        }
        if (cohort != null) {
            CohortSelector.problem(cohort).ifPresent(p -> errors.add(new Violation("cohort", p)));
        }
        Duration bake = bakeTime == null ? null : RolloutPolicies.bakeTime(bakeTime, "bakeTime", errors);
        return new Change.Canary(cohort, bake);
    }

    Precondition precondition() {
        return Precondition.ifMatch(ifMatch);
    }

    /** How long to wait for the fleet, or null when the caller did not ask to wait. */
    Duration waitTimeout(List<Violation> errors) {
        return parseWait(waitFor, timeout, errors);
    }

    static Duration parseWait(String waitFor, String timeout, List<Violation> errors) {
        if (waitFor == null || waitFor.isEmpty()) {
            if (timeout != null) {
                errors.add(new Violation("timeout", "only means something with wait=converged"));
            }
            return null;
        }
        if (!waitFor.equals("converged")) {
            errors.add(new Violation("wait", "the only value is converged"));
            return null;
        }
        if (timeout == null) {
            return DEFAULT_WAIT;
        }
        try {
            Duration d = Durations.parse(timeout);
            if (!d.isZero() && d.compareTo(MAX_WAIT) <= 0) {
                return d;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        errors.add(new Violation("timeout", "must be a duration such as 500ms, 10s or 1m, at most 5m"));
        return null;
    }

    static boolean flag(String raw, String name, List<Violation> errors) {
        if (raw == null || raw.equals("false")) {
            return false;
        }
        if (raw.equals("true") || raw.isEmpty()) {
            return true;
        }
        errors.add(new Violation(name, "must be true or false"));
        return false;
    }
}
