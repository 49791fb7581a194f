package io.ballast.controlplane.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ballast.controlplane.config.PoolService;
import io.ballast.controlplane.revision.Change;
import io.ballast.model.Pool;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/pools}: pools with their backends. */
@Path("/api/v1/pools")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "pools")
public class PoolResource {
    private final PoolService pools;
    private final ObjectMapper mapper;

    PoolResource(PoolService pools, ObjectMapper mapper) {
        this.pools = pools;
        this.mapper = mapper;
    }

    @GET
    @Operation(summary = "List pools, with their backends, in name order")
    public Page<Pool> list(@QueryParam("limit") String limit, @QueryParam("after") String after) {
        int max = Requests.limit(limit);
        return Page.of(pools.list(after, max + 1), max, Pool::name);
    }

    @POST
    @Operation(summary = "Create a pool; backends in the body are created with it")
    public Response create(Pool body, @BeanParam WriteOptions options, @Context UriInfo uri, @Context SecurityContext security) {
        Change change = options.change(security);
        var created = pools.create(change, Requests.requireBody(body));
        return Responses.created(uri.getBaseUriBuilder().path("api/v1/pools").path(created.value().name()).build(), created);
    }

    @GET
    @Path("{pool}")
    @Operation(summary = "Get a pool with its backends; the ETag is its version")
    public Response get(@PathParam("pool") String name) {
        return Responses.ok(pools.get(name));
    }

    /**
     * Replaces the pool's settings. Its backends are replaced only when the body has a
     * {@code backends} field; without one they stay as they are. Read as a tree to tell the two apart,
     * since the record turns an absent list into an empty one.
     */
    @PUT
    @Path("{pool}")
    @Operation(summary = "Replace a pool's settings (and its backends, if the body lists them)")
    public Response replace(@PathParam("pool") String name,
                            @RequestBody(content = @Content(schema = @Schema(implementation = Pool.class))) JsonNode body,
                            @BeanParam WriteOptions options, @Context SecurityContext security) throws JsonProcessingException {
        Change change = options.change(security);
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException("a JSON object is required", java.util.List.of());
        }
        Pool pool = mapper.treeToValue(body, Pool.class);
        boolean withBackends = body.isObject() && body.has("backends");
        return Responses.ok(pools.replace(change, name, pool, withBackends, options.precondition()));
    }

    @PATCH
    @Path("{pool}")
    @Consumes({MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "Change some of a pool's fields with a JSON merge patch (RFC 7396); a backends list replaces the whole list")
    public Response patch(@PathParam("pool") String name,
                          @RequestBody(content = @Content(mediaType = MergePatch.MEDIA_TYPE, schema = @Schema(implementation = Pool.class))) String body,
                          @BeanParam WriteOptions options, @Context SecurityContext security) {
        Change change = options.change(security);
        return Responses.ok(pools.patch(change, name, MergePatch.parse(mapper, body, Pool.class), options.precondition()));
    }

    @DELETE
    @Path("{pool}")
    @Operation(summary = "Delete a pool and its backends (refused while a route uses it)")
    public Response delete(@PathParam("pool") String name, @BeanParam WriteOptions options, @Context SecurityContext security) {
        pools.delete(options.change(security), name, options.precondition());
        return Response.noContent().build();
    }
}
