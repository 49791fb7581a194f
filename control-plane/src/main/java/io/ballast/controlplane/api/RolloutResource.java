package io.ballast.controlplane.api;

import io.ballast.controlplane.rollout.Rollout;
import io.ballast.controlplane.rollout.RolloutPolicies;
import io.ballast.controlplane.rollout.RolloutPolicy;
import io.ballast.controlplane.rollout.Rollouts;
import io.ballast.model.validation.Violation;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/rollouts}: canary rollouts started by writes with {@code ?rollout=canary}, newest
 * first; promote or abort the baking one; the defaults for new ones. Reads need the viewer role,
 * everything else admin (the default for writes).
 */
@Path("/api/v1/rollouts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "rollouts")
public class RolloutResource {
    private static final int MAX_REASON = 1000;

    private final Rollouts rollouts;
    private final RolloutPolicies policies;

    RolloutResource(Rollouts rollouts, RolloutPolicies policies) {
        this.rollouts = rollouts;
        this.policies = policies;
    }

    @GET
    @Operation(summary = "List rollouts, newest first: state, revisions, cohort and its members, gate readings, abort reason")
    public Page<Rollout> list(@QueryParam("limit") String limit, @QueryParam("before") String before) {
        int max = Requests.limit(limit);
        return Page.of(rollouts.page(id(before, "before"), max + 1), max, r -> Long.toString(r.id()));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get a rollout: state (baking, promoted, aborted), cohort members, gate readings, abort reason")
    public Rollout get(@PathParam("id") String id) {
        return rollouts.find(required(id));
    }

    @POST
    @Path("{id}/promote")
    @Operation(summary = "Promote the baking rollout now: the whole fleet goes to its revision (409 when it is not baking)")
    public Rollout promote(@PathParam("id") String id, @Context SecurityContext security) {
        return rollouts.promote(required(id), Authors.of(security));
    }

    @POST
    @Path("{id}/abort")
    @Operation(summary = "Abort the baking rollout: a revision equal to the previous one is recorded and pushed, the cohort goes back to it (409 when it is not baking)")
    public Rollout abort(@PathParam("id") String id,
                         @HeaderParam(WriteOptions.MESSAGE_HEADER) @Parameter(description = "Why; stored as the abort reason") String message,
                         @Context SecurityContext security) {
        long n = required(id);
        String by = Authors.of(security);
        String reason = null;
        if (message != null && !message.isBlank()) {
            if (message.length() > MAX_REASON || message.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new InvalidRequestException("bad parameter", List.of(new Violation(WriteOptions.MESSAGE_HEADER,
                        "at most " + MAX_REASON + " characters without control characters")));
            }
            reason = "aborted by " + by + ": " + message.strip();
        }
        return rollouts.abort(n, by, reason);
    }

    @GET
    @Path("policy")
    @Operation(summary = "The defaults of ?rollout=canary: cohort, bakeTime, abortOn {nack, errorRateIncrease, p99Increase}, autoPromote")
    public RolloutPolicy policy() {
        return policies.current();
    }

    @PUT
    @Path("policy")
    @Operation(summary = "Replace the defaults of ?rollout=canary; absent fields take the built-in defaults (bakeTime 60s, nack true, errorRateIncrease 1.0, p99Increase 50, autoPromote true)")
    public RolloutPolicy replacePolicy(RolloutPolicy body, @Context SecurityContext security) {
        Requests.requireBody(body);
        return policies.replace(body, Authors.of(security));
    }

    private static long required(String raw) {
        Long n = id(raw, "id");
        if (n == null) {
            throw new InvalidRequestException("bad parameter", List.of(new Violation("id", "must be a rollout number")));
        }
        return n;
    }

    private static Long id(String raw, String field) {
        if (raw == null) {
            return null;
        }
        try {
            long n = Long.parseLong(raw);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidRequestException("bad parameter", List.of(new Violation(field, "must be a rollout number")));
    }
}
