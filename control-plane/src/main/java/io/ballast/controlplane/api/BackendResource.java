package io.ballast.controlplane.api;

import io.ballast.controlplane.config.BackendService;
import io.ballast.controlplane.security.RequiredRole;
import io.ballast.controlplane.security.Role;
import io.ballast.model.AdminState;
import io.ballast.model.Backend;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

/** {@code /api/v1/pools/{pool}/backends}: the servers of one pool, and the operator's drain switch. */
@Path("/api/v1/pools/{pool}/backends")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BackendResource {
    private final BackendService backends;

    BackendResource(BackendService backends) {
        this.backends = backends;
    }

    @GET
    public Page<Backend> list(@PathParam("pool") String pool) {
        return new Page<>(backends.list(pool), null);
    }

    @POST
    public Response create(@PathParam("pool") String pool, Backend body, @Context UriInfo uri, @Context SecurityContext security) {
        Backend created = backends.create(Authors.of(security), pool, Requests.requireBody(body));
        return Response.created(uri.getBaseUriBuilder().path("api/v1/pools").path(pool).path("backends").path(created.name()).build())
                .entity(created).build();
    }

    @GET
    @Path("{backend}")
    public Backend get(@PathParam("pool") String pool, @PathParam("backend") String name) {
        return backends.get(pool, name);
    }

    @PUT
    @Path("{backend}")
    public Backend replace(@PathParam("pool") String pool, @PathParam("backend") String name, Backend body,
                           @Context SecurityContext security) {
        return backends.replace(Authors.of(security), pool, name, Requests.requireBody(body));
    }

    @DELETE
    @Path("{backend}")
    public Response delete(@PathParam("pool") String pool, @PathParam("backend") String name, @Context SecurityContext security) {
        backends.delete(Authors.of(security), pool, name);
        return Response.noContent().build();
    }

    /** No new requests or connections; in-flight ones finish. */
    @POST
    @Path("{backend}/drain")
    @RequiredRole(Role.OPERATOR)
    public Backend drain(@PathParam("pool") String pool, @PathParam("backend") String name, @Context SecurityContext security) {
        return backends.setAdminState(Authors.of(security), pool, name, AdminState.DRAINING);
    }

    @POST
    @Path("{backend}/enable")
    @RequiredRole(Role.OPERATOR)
    public Backend enable(@PathParam("pool") String pool, @PathParam("backend") String name, @Context SecurityContext security) {
        return backends.setAdminState(Authors.of(security), pool, name, AdminState.ENABLED);
    }

    @POST
    @Path("{backend}/disable")
    @RequiredRole(Role.OPERATOR)
    public Backend disable(@PathParam("pool") String pool, @PathParam("backend") String name, @Context SecurityContext security) {
        return backends.setAdminState(Authors.of(security), pool, name, AdminState.DISABLED);
    }
}
