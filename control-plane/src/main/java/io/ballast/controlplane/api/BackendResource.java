package io.ballast.controlplane.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ballast.controlplane.config.BackendService;
import io.ballast.controlplane.config.PoolService;
import io.ballast.controlplane.config.Versioned;
import io.ballast.controlplane.revision.Change;
import io.ballast.controlplane.health.HealthWaiter;
import io.ballast.controlplane.security.RequiredRole;
import io.ballast.controlplane.security.Role;
import io.ballast.model.AdminState;
import io.ballast.model.Backend;
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
import io.smallrye.common.annotation.Blocking;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@code /api/v1/pools/{pool}/backends}: the servers of one pool, and the operator's drain switch. */
@Path("/api/v1/pools/{pool}/backends")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "backends")
public class BackendResource {
    private final BackendService backends;
    private final ObjectMapper mapper;
    private final HealthWaiter waiter;
    private final PoolService pools;

    BackendResource(BackendService backends, ObjectMapper mapper, HealthWaiter waiter, PoolService pools) {
        this.backends = backends;
        this.pools = pools;
        this.mapper = mapper;
        this.waiter = waiter;
    }

    @GET
    @Operation(summary = "List a pool's backends in name order")
    public Page<Backend> list(@PathParam("pool") String pool, @QueryParam("limit") String limit, @QueryParam("after") String after) {
        int max = Requests.limit(limit);
        return Page.of(backends.list(pool, after, max + 1), max, Backend::name);
    }

    @POST
    @Operation(summary = "Add a backend to a pool; its name defaults to host:port")
    public Response create(@PathParam("pool") String pool, Backend body, @BeanParam WriteOptions options,
                           @Context UriInfo uri, @Context SecurityContext security) {
        Change change = options.change(security);
        var created = backends.create(change, pool, Requests.requireBody(body));
        return warned(pool, created.value(), Responses.created(uri.getBaseUriBuilder().path("api/v1/pools").path(pool)
                .path("backends").path(created.value().name()).build(), created));
    }

    @GET
    @Path("{backend}")
    @Operation(summary = "Get a backend; the ETag is its version")
    public Response get(@PathParam("pool") String pool, @PathParam("backend") String name) {
        return Responses.ok(backends.get(pool, name));
    }

    @PUT
    @Path("{backend}")
    @Operation(summary = "Replace a backend")
    public Response replace(@PathParam("pool") String pool, @PathParam("backend") String name, Backend body,
                            @BeanParam WriteOptions options, @Context SecurityContext security) {
        Change change = options.change(security);
        var replaced = backends.replace(change, pool, name, Requests.requireBody(body), options.precondition());
        return warned(pool, replaced.value(), Responses.ok(replaced));
    }

    @PATCH
    @Path("{backend}")
    @Consumes({MergePatch.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "Change some of a backend's fields with a JSON merge patch (RFC 7396)")
    public Response patch(@PathParam("pool") String pool, @PathParam("backend") String name,
                          @RequestBody(content = @Content(mediaType = MergePatch.MEDIA_TYPE, schema = @Schema(implementation = Backend.class))) String body,
                          @BeanParam WriteOptions options, @Context SecurityContext security) {
        Change change = options.change(security);
        var patched = backends.patch(change, pool, name, MergePatch.parse(mapper, body, Backend.class), options.precondition());
        return warned(pool, patched.value(), Responses.ok(patched));
    }

    @DELETE
    @Path("{backend}")
    @Operation(summary = "Remove a backend from its pool")
    public Response delete(@PathParam("pool") String pool, @PathParam("backend") String name,
                           @BeanParam WriteOptions options, @Context SecurityContext security) {
        backends.delete(options.change(security), pool, name, options.precondition());
        return Response.noContent().build();
    }

    /**
     * No new requests or connections; in-flight ones finish. With {@code ?wait=drained&timeout=60s} the answer
     * comes when every connected data plane reports the backend draining with nothing in flight (200), or
     * 202 with the current state when the timeout passes first.
     */
    @POST
    @Path("{backend}/drain")
    @RequiredRole(Role.OPERATOR)
    @Blocking
    @Operation(summary = "Drain: no new requests or connections; in-flight ones finish")
    public CompletionStage<Response> drain(@PathParam("pool") String pool, @PathParam("backend") String name,
                                           @BeanParam WriteOptions options, @Context SecurityContext security) {
        return adminState(pool, name, AdminState.DRAINING, options, security);
    }

    /** Back into rotation; {@code ?wait=healthy} answers when every connected data plane finds it healthy. */
    @POST
    @Path("{backend}/enable")
    @RequiredRole(Role.OPERATOR)
    @Blocking
    @Operation(summary = "Enable: the backend takes traffic again (once healthy)")
    public CompletionStage<Response> enable(@PathParam("pool") String pool, @PathParam("backend") String name,
                                            @BeanParam WriteOptions options, @Context SecurityContext security) {
        return adminState(pool, name, AdminState.ENABLED, options, security);
    }

    /** Like drain, and the backend stays out of rotation; {@code ?wait=drained} as for drain. */
    @POST
    @Path("{backend}/disable")
    @RequiredRole(Role.OPERATOR)
    @Blocking
    @Operation(summary = "Disable: the backend takes no traffic at all")
    public CompletionStage<Response> disable(@PathParam("pool") String pool, @PathParam("backend") String name,
                                             @BeanParam WriteOptions options, @Context SecurityContext security) {
        return adminState(pool, name, AdminState.DISABLED, options, security);
    }

    /**
     * {@code wait=converged} waits for the fleet to apply the revision (see {@link ConvergenceFilter});
     * {@code wait=drained} (drain, disable) and {@code wait=healthy} (enable) wait for the backend's reported
     * state instead. Both are parsed before anything is written.
     */
    private CompletionStage<Response> adminState(String pool, String name, AdminState state, WriteOptions options,
                                                 SecurityContext security) {
        Optional<HealthWaits.Wait> healthWait = Optional.empty();
        if (!"converged".equals(options.waitFor)) {
            healthWait = HealthWaits.parse(state, options.waitFor, options.timeout);
            options.waitFor = null;
            options.timeout = null;
        }
        Change change = options.change(security);
        Versioned<Backend> changed = backends.setAdminState(change, pool, name, state, options.precondition());
        if (healthWait.isEmpty()) {
            return CompletableFuture.completedFuture(Responses.ok(changed));
        }
        return waiter.await(pool, changed.value().name(), healthWait.get().wanted(), healthWait.get().timeout())
                .thenApply(outcome -> Response.status(outcome.reached() ? 200 : 202).entity(outcome.health())
                        .tag(Responses.etag(changed.version())).build());
    }

    private Response warned(String pool, Backend backend, Response response) {
        return WeightWarning.addTo(response, pools.get(pool).value(), backend);
    }
}
