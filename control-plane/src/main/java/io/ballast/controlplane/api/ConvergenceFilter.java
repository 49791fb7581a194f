package io.ballast.controlplane.api;

import io.ballast.controlplane.revision.WriteOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every successful configuration write answers {@code X-Ballast-Revision} (the revision in effect
 * afterwards). With {@code ?wait=converged&timeout=10s} the answer is held, without holding a thread,
 * until every connected data plane has applied that revision; after the timeout it is
 * {@code 202 Accepted} with the nodes that have not, and the write's own answer inside.
 * The parameters were validated by {@link WriteOptions} before anything was written.
 */
public class ConvergenceFilter {
    static final String REVISION_HEADER = "X-Ballast-Revision";
    static final String CONVERGED_HEADER = "X-Ballast-Converged";

    private final WriteOutcome outcome;
    private final ConvergenceWaiter waiter;

    ConvergenceFilter(WriteOutcome outcome, ConvergenceWaiter waiter) {
        this.outcome = outcome;
        this.waiter = waiter;
    }

    @ServerResponseFilter
    public Uni<Void> afterWrite(ContainerRequestContext request, ContainerResponseContext response) {
        Long revision = outcome.revision();
        if (revision == null || response.getStatusInfo().getFamily() != Response.Status.Family.SUCCESSFUL) {
            return Uni.createFrom().voidItem();
        }
        response.getHeaders().putSingle(REVISION_HEADER, revision);
        MultivaluedMap<String, String> query = request.getUriInfo().getQueryParameters();
        Duration timeout = WriteOptions.parseWait(query.getFirst("wait"), query.getFirst("timeout"), new ArrayList<>());
        if (timeout == null) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().completionStage(() -> waiter.await(revision, timeout)).invoke(result -> {
            if (result.converged()) {
                response.getHeaders().putSingle(CONVERGED_HEADER, "true");
                return;
            }
            response.getHeaders().putSingle(CONVERGED_HEADER, "false");
            Object answer = response.hasEntity() ? response.getEntity() : null;
            response.setStatus(Response.Status.ACCEPTED.getStatusCode());
            response.setEntity(new NotConverged(result.revision(), false, result.connected(), result.pending(), answer),
                    null, MediaType.APPLICATION_JSON_TYPE);
        }).replaceWithVoid();
    }

    /**
     * The 202 answer of a write whose revision the fleet has not fully applied within the timeout.
     *
     * @param result the write's own answer (absent for a delete)
     */
    public record NotConverged(long revision, boolean converged, int connected, java.util.List<ConvergenceWaiter.Laggard> pending,
                               Object result) {
    }
}
