package io.ballast.controlplane.api;

import io.ballast.controlplane.config.ResourceNotFoundException;
import io.ballast.controlplane.fleet.DataPlaneStatus;
import io.ballast.controlplane.fleet.FleetRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/dataplanes}: the registered proxies and how far each is from the newest revision. */
@Path("/api/v1/dataplanes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dataplanes")
public class DataPlaneResource {
    private final FleetRegistry fleet;

    DataPlaneResource(FleetRegistry fleet) {
        this.fleet = fleet;
    }

    @GET
    @Operation(summary = "List the registered data planes with the revision each has applied and its sync state")
    public Page<DataPlaneStatus> list() {
        return new Page<>(fleet.list(), null);
    }

    @GET
    @Path("{node}")
    @Operation(summary = "Get one data plane: versions, connection, applied revision, last nack and sync state")
    public DataPlaneStatus get(@PathParam("node") String node) {
        return fleet.find(node).orElseThrow(() -> new ResourceNotFoundException("data plane '" + node + "' is not registered"));
    }
}
