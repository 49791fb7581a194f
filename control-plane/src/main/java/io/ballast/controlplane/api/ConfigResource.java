package io.ballast.controlplane.api;

import io.ballast.controlplane.config.DeclarativeConfig;
import io.ballast.controlplane.revision.Change;
import io.ballast.controlplane.security.RequiredRole;
import io.ballast.controlplane.security.Role;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.snapshot.SnapshotDiff;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/config}: the whole configuration as one file. What {@code GET} exports,
 * {@code PUT} accepts back unchanged (and then records no revision).
 */
@Path("/api/v1/config")
@Tag(name = "config")
public class ConfigResource {
    private static final String REVISION_HEADER = "X-Ballast-Revision";

    private final DeclarativeConfig config;

    ConfigResource(DeclarativeConfig config) {
        this.config = config;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, ConfigFiles.YAML})
    @Operation(summary = "Export the whole configuration as JSON or YAML (by Accept); the ETag is the revision number")
    @APIResponse(responseCode = "200", description = "The configuration of the latest revision",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConfigSnapshot.class)),
                       @Content(mediaType = ConfigFiles.YAML, schema = @Schema(implementation = ConfigSnapshot.class))})
    public Response export(@Context HttpHeaders headers) {
        boolean yaml = prefersYaml(headers);
        DeclarativeConfig.Export export = config.export();
        return Response.ok(ConfigFiles.write(export.config(), yaml), yaml ? ConfigFiles.YAML : MediaType.APPLICATION_JSON)
                .tag(Responses.etag(export.revision()))
                .header(REVISION_HEADER, export.revision())
                .build();
    }

    @PUT
    @Consumes({MediaType.APPLICATION_JSON, ConfigFiles.YAML, "application/x-yaml", "text/yaml"})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Apply a configuration file in one transaction; answers the diff and the revision. "
            + "dryRun=true changes nothing; prune=true deletes what the file does not name; If-Match takes a revision number")
    public ApplyAnswer apply(@RequestBody(content = {
                                     @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConfigSnapshot.class)),
                                     @Content(mediaType = ConfigFiles.YAML, schema = @Schema(implementation = ConfigSnapshot.class))})
                             String body,
                             @QueryParam("dryRun") String dryRun, @QueryParam("prune") String prune,
                             @BeanParam WriteOptions options, @Context HttpHeaders headers, @Context SecurityContext security) {
        boolean dry = Requests.flag(dryRun, "dryRun");
        boolean pruning = Requests.flag(prune, "prune");
        Change change = options.change(security);
        ConfigSnapshot file = ConfigFiles.read(body, headers.getMediaType());
        Change described = change.describedAs("apply configuration file" + (pruning ? " (prune)" : ""));
        return ApplyAnswer.of(dry
                ? config.dryRun(described, file, pruning, options.precondition())
                : config.apply(described, file, pruning, options.precondition()));
    }

    @POST
    @Path("validate")
    @RequiredRole(Role.VIEWER)
    @Consumes({MediaType.APPLICATION_JSON, ConfigFiles.YAML, "application/x-yaml", "text/yaml"})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Check a configuration file against the current state without changing anything; "
            + "answers what applying it would change, or a 422 problem whose errors point into the file")
    public ValidationAnswer validate(@RequestBody(content = {
                                             @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConfigSnapshot.class)),
                                             @Content(mediaType = ConfigFiles.YAML, schema = @Schema(implementation = ConfigSnapshot.class))})
                                     String body,
                                     @QueryParam("prune") String prune, @Context HttpHeaders headers) {
        boolean pruning = Requests.flag(prune, "prune");
        SnapshotDiff diff = config.validate(ConfigFiles.read(body, headers.getMediaType()), pruning);
        return new ValidationAnswer(true, diff.summary(), diff.changes());
    }

    private static boolean prefersYaml(HttpHeaders headers) {
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (ConfigFiles.isYaml(type)) {
                return true;
            }
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
        }
        return false;
    }

    /** A file that passed every check, and what applying it now would change. */
    public record ValidationAnswer(boolean valid, SnapshotDiff.Summary summary, List<SnapshotDiff.ResourceChange> changes) {
    }
}
