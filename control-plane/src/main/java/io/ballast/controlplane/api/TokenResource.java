package io.ballast.controlplane.api;

import io.ballast.controlplane.security.IssuedToken;
import io.ballast.controlplane.security.TokenInfo;
import io.ballast.controlplane.security.TokenService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/tokens}: named API tokens. Every method needs the admin role (the default for
 * writes, and set on the class so listing tokens needs it too).
 */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@io.ballast.controlplane.security.RequiredRole(io.ballast.controlplane.security.Role.ADMIN)
@Tag(name = "tokens")
public class TokenResource {
    private final TokenService tokens;

    TokenResource(TokenService tokens) {
        this.tokens = tokens;
    }

    @GET
    @Operation(summary = "List tokens (never their secrets) in name order")
    public Page<TokenInfo> list(@QueryParam("limit") String limit, @QueryParam("after") String after) {
        int max = Requests.limit(limit);
        return Page.of(tokens.list(after, max + 1), max, TokenInfo::name);
    }

    @POST
    @Operation(summary = "Create a named token; the answer holds its secret, shown this once and stored only hashed")
    public Response create(NewTokenRequest body, @Context UriInfo uri, @Context SecurityContext security) {
        Requests.requireBody(body);
        IssuedToken issued = tokens.create(body.name(), body.role(), Authors.of(security));
        return Response.created(uri.getBaseUriBuilder().path("api/v1/tokens").path(issued.name()).build())
                .entity(issued)
                // The secret must not linger in caches or proxies (RFC 9111 §5.2.2.5).
                .cacheControl(CacheControl.valueOf("no-store"))
                .build();
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Revoke a token: it stops working at once, and data planes connected with it are disconnected")
    public Response delete(@PathParam("name") String name) {
        tokens.revoke(name);
        return Response.noContent().build();
    }

    /** The body of {@code POST /tokens}: a name (a slug) and a role: viewer, operator, admin or dataplane. */
    public record NewTokenRequest(String name, String role) {
    }
}
