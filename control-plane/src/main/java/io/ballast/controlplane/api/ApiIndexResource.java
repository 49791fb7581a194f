package io.ballast.controlplane.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1}: the address the startup banner prints, so it answers where to go next instead
 * of a 404. Without a token the bearer filter answers 401 with how to send one.
 */
@Tag(name = "session")
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ApiIndexResource {
    private static final Index INDEX = new Index("Ballast control plane API", "v1", "/q/swagger-ui", "/q/openapi",
            List.of("/api/v1/pools", "/api/v1/routes", "/api/v1/health", "/api/v1/health/events", "/api/v1/revisions",
                    "/api/v1/dataplanes", "/api/v1/config", "/api/v1/tokens", "/api/v1/me"));

    @GET
    @Operation(summary = "Where to start: the API's collections and its browsable reference")
    public Index index() {
        return INDEX;
    }

    /**
     * @param reference   the browsable reference (Swagger UI)
     * @param openapi     the OpenAPI document
     * @param collections the top-level resources
     */
    public record Index(String name, String version, String reference, String openapi, List<String> collections) {
    }
}
