package io.ballast.controlplane.api;

import io.ballast.controlplane.config.ResourceNotFoundException;
import io.ballast.controlplane.fleet.FleetRegistry;
import io.ballast.controlplane.fleet.NodePropagation;
import io.ballast.controlplane.revision.Revision;
import io.ballast.controlplane.revision.RevisionQueries;
import io.ballast.model.snapshot.ConfigSnapshot;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/** {@code /api/v1/revisions}: the history of the configuration, newest first. */
@Path("/api/v1/revisions")
@Produces(MediaType.APPLICATION_JSON)
public class RevisionResource {
    private final RevisionQueries revisions;
    private final FleetRegistry fleet;

    RevisionResource(RevisionQueries revisions, FleetRegistry fleet) {
        this.revisions = revisions;
        this.fleet = fleet;
    }

    /** Newest first; {@code next} is the {@code before} cursor of the following page. */
    @GET
    public Page<Revision> list(@QueryParam("limit") String limit, @QueryParam("before") String before) {
        int max = Requests.limit(limit);
        return Page.of(revisions.page(Requests.revisionNumber(before, "before"), max + 1), max, r -> Long.toString(r.number()));
    }

    @GET
    @Path("{number}")
    public RevisionDetail get(@PathParam("number") String number) {
        long n = Requests.revisionNumber(number, "number");
        return revisions.find(n)
                .map(r -> new RevisionDetail(r.revision().number(), r.revision().createdAt(), r.revision().author(),
                        r.revision().message(), r.revision().hash(), r.snapshot(), fleet.propagation(n)))
                .orElseThrow(() -> new ResourceNotFoundException("revision " + n + " does not exist"));
    }

    /** A revision with its complete configuration and, per data plane, whether and how fast it arrived. */
    public record RevisionDetail(long number, Instant createdAt, String author, String message, String hash,
                                 ConfigSnapshot snapshot, List<NodePropagation> propagation) {
    }
}
