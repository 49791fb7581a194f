package io.ballast.controlplane.console;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import io.ballast.controlplane.security.Caller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code GET /api/v1/me}: the name and role of the calling token, so a client knows what to offer. */
@Tag(name = "session")
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    @GET
    @Operation(summary = "The calling token's name and role (viewer, operator or admin)")
    public Me me(@Context SecurityContext security) {
        // The bearer filter always installs a Caller before a resource runs.
        Caller caller = (Caller) security.getUserPrincipal();
        return new Me(caller.name(), caller.role().wireName());
    }

    /** The token's name (the author of its changes) and role. */
    public record Me(String name, String role) {
    }
}
