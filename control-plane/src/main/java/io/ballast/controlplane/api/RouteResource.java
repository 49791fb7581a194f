package io.ballast.controlplane.api;

import io.ballast.controlplane.config.RouteService;
import io.ballast.model.Route;
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

/** {@code /api/v1/routes}: which requests go to which pool. */
@Path("/api/v1/routes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RouteResource {
    private final RouteService routes;

    RouteResource(RouteService routes) {
        this.routes = routes;
    }

    @GET
    public Page<Route> list(@QueryParam("limit") String limit, @QueryParam("after") String after) {
        int max = Requests.limit(limit);
        return Page.of(routes.list(after, max + 1), max, Route::name);
    }

    @POST
    public Response create(Route body, @Context UriInfo uri, @Context SecurityContext security) {
        Route created = routes.create(Authors.of(security), Requests.requireBody(body));
        return Response.created(uri.getBaseUriBuilder().path("api/v1/routes").path(created.name()).build())
                .entity(created).build();
    }

    @GET
    @Path("{route}")
    public Route get(@PathParam("route") String name) {
        return routes.get(name);
    }

    @PUT
    @Path("{route}")
    public Route replace(@PathParam("route") String name, Route body, @Context SecurityContext security) {
        return routes.replace(Authors.of(security), name, Requests.requireBody(body));
    }

    @DELETE
    @Path("{route}")
    public Response delete(@PathParam("route") String name, @Context SecurityContext security) {
        routes.delete(Authors.of(security), name);
        return Response.noContent().build();
    }
}
