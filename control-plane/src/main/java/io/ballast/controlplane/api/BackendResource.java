package io.ballast.controlplane.api;

import io.ballast.controlplane.config.BackendService;
import io.ballast.controlplane.health.HealthWaiter;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import io.smallrye.common.annotation.Blocking;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@code /api/v1/pools/{pool}/backends}: the servers of one pool, and the operator's drain switch. */
@Path("/api/v1/pools/{pool}/backends")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BackendResource {
    private final BackendService backends;
    private final HealthWaiter waiter;

    BackendResource(BackendService backends, HealthWaiter waiter) {
        this.backends = backends;
        this.waiter = waiter;
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

    /**
     * No new requests or connections; in-flight ones finish. With {@code ?wait=drained&timeout=60s} the answer
     * comes when every connected data plane reports the backend draining with nothing in flight (200), or
     * 202 with the current state when the timeout passes first.
     */
    @POST
    @Path("{backend}/drain")
    @RequiredRole(Role.OPERATOR)
    @Blocking
    public CompletionStage<Response> drain(@PathParam("pool") String pool, @PathParam("backend") String name,
                                           @QueryParam("wait") String wait, @QueryParam("timeout") String timeout,
                                           @Context SecurityContext security) {
        return adminState(security, pool, name, AdminState.DRAINING, wait, timeout);
    }

    /** Back into rotation; {@code ?wait=healthy} answers when every connected data plane finds it healthy. */
    @POST
    @Path("{backend}/enable")
    @RequiredRole(Role.OPERATOR)
    @Blocking
    public CompletionStage<Response> enable(@PathParam("pool") String pool, @PathParam("backend") String name,
                                            @QueryParam("wait") String wait, @QueryParam("timeout") String timeout,
                                            @Context SecurityContext security) {
        return adminState(security, pool, name, AdminState.ENABLED, wait, timeout);
    }

    /** Like drain, and the backend stays out of rotation; {@code ?wait=drained} as for drain. */
    @POST
    @Path("{backend}/disable")
    @RequiredRole(Role.OPERATOR)
    @Blocking
    public CompletionStage<Response> disable(@PathParam("pool") String pool, @PathParam("backend") String name,
                                             @QueryParam("wait") String wait, @QueryParam("timeout") String timeout,
                                             @Context SecurityContext security) {
        return adminState(security, pool, name, AdminState.DISABLED, wait, timeout);
    }

    private CompletionStage<Response> adminState(SecurityContext security, String pool, String name, AdminState state,
                                                 String wait, String timeout) {
        Optional<HealthWaits.Wait> waitFor = HealthWaits.parse(state, wait, timeout);
        Backend changed = backends.setAdminState(Authors.of(security), pool, name, state);
        if (waitFor.isEmpty()) {
            return CompletableFuture.completedFuture(Response.ok(changed).build());
        }
        return waiter.await(pool, changed.name(), waitFor.get().wanted(), waitFor.get().timeout())
                .thenApply(outcome -> Response.status(outcome.reached() ? 200 : 202).entity(outcome.health()).build());
    }
}
