package io.ballast.controlplane.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ballast.controlplane.config.RouteService;
import io.ballast.controlplane.revision.Change;
import io.ballast.model.Route;
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

/** {@code /api/v1/routes}: which requests go to which pool. */
@Path("/api/v1/routes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "routes")
public class RouteResource {
    private final RouteService routes;
    private final ObjectMapper mapper;

    RouteResource(RouteService routes, ObjectMapper mapper) {
        this.routes = routes;
        this.mapper = mapper;
    }

    @GET
    @Operation(summary = "List routes in name order")
    public Page<Route> list(@QueryParam("limit") String limit, @QueryParam("after") String after) {
        int max = Requests.limit(limit);
        return Page.of(routes.list(after, max + 1), max, Route::name);
    }

    @POST
    @Operation(summary = "Create a route")
    public Response create(Route body, @BeanParam WriteOptions options, @Context UriInfo uri, @Context SecurityContext security) {
        Change change = options.change(security);
        var created = routes.create(change, Requests.requireBody(body));
        return Responses.created(uri.getBaseUriBuilder().path("api/v1/routes").path(created.value().name()).build(), created);
    }

    @GET
    @Path("{route}")
    @Operation(summary = "Get a route; the ETag is its version")
    public Response get(@PathParam("route") String name) {
        return Responses.ok(routes.get(name));
    }

    @PUT
    @Path("{route}")
    @Operation(summary = "Replace a route")
    public Response replace(@PathParam("route") String name, Route body, @BeanParam WriteOptions options,
                            @Context SecurityContext security) {
        Change change = options.change(security);
        return Responses.ok(routes.replace(change, name, Requests.requireBody(body), options.precondition()));
    }

    @PATCH
    @Path("{route}")
    @Consumes({MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "Change some of a route's fields with a JSON merge patch (RFC 7396)")
    public Response patch(@PathParam("route") String name,
                          @RequestBody(content = @Content(mediaType = MergePatch.MEDIA_TYPE, schema = @Schema(implementation = Route.class))) String body,
                          @BeanParam WriteOptions options, @Context SecurityContext security) {
        Change change = options.change(security);
        return Responses.ok(routes.patch(change, name, MergePatch.parse(mapper, body, Route.class), options.precondition()));
    }

    @DELETE
    @Path("{route}")
    @Operation(summary = "Delete a route")
    public Response delete(@PathParam("route") String name, @BeanParam WriteOptions options, @Context SecurityContext security) {
        routes.delete(options.change(security), name, options.precondition());
        return Response.noContent().build();
    }
}
