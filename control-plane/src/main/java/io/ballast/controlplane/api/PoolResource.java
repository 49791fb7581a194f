package io.ballast.controlplane.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ballast.controlplane.config.PoolService;
import io.ballast.model.Pool;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code /api/v1/pools}: pools with their backends. */
@Path("/api/v1/pools")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PoolResource {
    private final PoolService pools;
    private final ObjectMapper mapper;

    PoolResource(PoolService pools, ObjectMapper mapper) {
        this.pools = pools;
        this.mapper = mapper;
    }

    @GET
    public Page<Pool> list(@QueryParam("limit") String limit, @QueryParam("after") String after) {
        int max = Requests.limit(limit);
        return Page.of(pools.list(after, max + 1), max, Pool::name);
    }

    /** Creates a pool; {@code backends} in the body are created with it. */
    @POST
    public Response create(Pool body, @Context UriInfo uri, @Context SecurityContext security) {
        Pool created = pools.create(Authors.of(security), Requests.requireBody(body));
        return Response.created(uri.getBaseUriBuilder().path("api/v1/pools").path(created.name()).build())
                .entity(created).build();
    }

    @GET
    @Path("{pool}")
    public Pool get(@PathParam("pool") String name) {
        return pools.get(name);
    }

    /**
     * Replaces the pool's settings. Its backends are replaced only when the body has a
     * {@code backends} field; without one they stay as they are. Read as a tree to tell the two apart,
     * since the record turns an absent list into an empty one.
     */
    @PUT
    @Path("{pool}")
    public Pool replace(@PathParam("pool") String name,
                        @RequestBody(content = @Content(schema = @Schema(implementation = Pool.class))) JsonNode body,
                        @Context SecurityContext security) throws JsonProcessingException {
        Requests.requireBody(body);
        Pool pool = mapper.treeToValue(body, Pool.class);
        boolean withBackends = body.isObject() && body.has("backends");
        return pools.replace(Authors.of(security), name, pool, withBackends);
    }

    @DELETE
    @Path("{pool}")
    public Response delete(@PathParam("pool") String name, @Context SecurityContext security) {
        pools.delete(Authors.of(security), name);
        return Response.noContent().build();
    }
}
