package io.ballast.controlplane.api;

import io.ballast.controlplane.config.DeclarativeConfig;
import io.ballast.controlplane.config.ResourceNotFoundException;
import io.ballast.controlplane.fleet.FleetRegistry;
import io.ballast.controlplane.fleet.NodePropagation;
import io.ballast.controlplane.revision.Change;
import io.ballast.controlplane.revision.Revision;
import io.ballast.controlplane.revision.RevisionQueries;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.snapshot.SnapshotDiff;
import io.ballast.model.validation.Violation;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/revisions}: the history of the configuration, newest first; diffs and rollback. */
@Path("/api/v1/revisions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "revisions")
public class RevisionResource {
    private final RevisionQueries revisions;
    private final DeclarativeConfig config;
    private final FleetRegistry fleet;

    RevisionResource(RevisionQueries revisions, DeclarativeConfig config, FleetRegistry fleet) {
        this.revisions = revisions;
        this.config = config;
        this.fleet = fleet;
    }

    /** Newest first; {@code next} is the {@code before} cursor of the following page. */
    @GET
    @Operation(summary = "List revisions, newest first: number, time, author (token name), message, summary counts")
    public Page<Revision> list(@QueryParam("limit") String limit, @QueryParam("before") String before) {
        int max = Requests.limit(limit);
        return Page.of(revisions.page(Requests.revisionNumber(before, "before"), max + 1), max, r -> Long.toString(r.number()));
    }

    @GET
    @Path("{number}")
    @Operation(summary = "Get a revision with its complete configuration")
    public RevisionDetail get(@PathParam("number") String number) {
        long n = number(number);
        return revisions.find(n)
                .map(r -> new RevisionDetail(r.revision().number(), r.revision().createdAt(), r.revision().author(),
                        r.revision().message(), r.revision().hash(), r.revision().summary(), r.snapshot(), fleet.propagation(n)))
                .orElseThrow(() -> new ResourceNotFoundException("revision " + n + " does not exist"));
    }

    @GET
    @Path("{number}/diff")
    @Operation(summary = "What changed from revision 'against' (default: the one before) to this one, per resource and field")
    public RevisionDiff diff(@PathParam("number") String number, @QueryParam("against") String against) {
        long n = number(number);
        Long m = Requests.revisionNumber(against, "against");
        long from = m == null ? n - 1 : m;
        if (from < 0) {
            throw new InvalidRequestException("bad parameter", List.of(new Violation("against", "must be 0 or a revision number")));
        }
        SnapshotDiff diff = revisions.diff(from, n).orElseThrow(() ->
                new ResourceNotFoundException("revision " + (revisions.find(n).isEmpty() ? n : from) + " does not exist"));
        return new RevisionDiff(from, n, diff.summary(), diff.changes());
    }

    @POST
    @Path("{number}/rollback")
    @Operation(summary = "Make a new revision equal to this one, through the same validation, safety rails and push as any write")
    public ApplyAnswer rollback(@PathParam("number") String number, @QueryParam("dryRun") String dryRun,
                                @BeanParam WriteOptions options, @Context SecurityContext security) {
        boolean dry = Requests.flag(dryRun, "dryRun");
        Change change = options.change(security);
        long n = number(number);
        ConfigSnapshot target = revisions.find(n)
                .orElseThrow(() -> new ResourceNotFoundException("revision " + n + " does not exist")).snapshot();
        Change described = change.describedAs("rollback to revision " + n);
        return ApplyAnswer.of(dry
                ? config.dryRun(described, target, true, options.precondition())
                : config.apply(described, target, true, options.precondition()));
    }

    private static long number(String raw) {
        Long n = Requests.revisionNumber(raw, "number");
        if (n == null || n < 1) {
            throw new InvalidRequestException("bad parameter", List.of(new Violation("number", "must be a revision number")));
        }
        return n;
    }

    /** A revision with its complete configuration and, per data plane, whether and how fast it arrived. */
    public record RevisionDetail(long number, Instant createdAt, String author, String message, String hash,
                                 SnapshotDiff.Summary summary, ConfigSnapshot snapshot, List<NodePropagation> propagation) {
    }

    /** What changed from revision {@code from} to revision {@code to}. */
    public record RevisionDiff(long from, long to, SnapshotDiff.Summary summary, List<SnapshotDiff.ResourceChange> changes) {
    }
}
