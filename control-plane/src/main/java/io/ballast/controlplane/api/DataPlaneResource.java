package io.ballast.controlplane.api;

import io.ballast.controlplane.fleet.DataPlaneStatus;
import io.ballast.controlplane.fleet.FleetRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/dataplanes}: the proxies that are connected or were seen recently. */
@Path("/api/v1/dataplanes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dataplanes")
public class DataPlaneResource {
    private final FleetRegistry fleet;

    DataPlaneResource(FleetRegistry fleet) {
        this.fleet = fleet;
    }

    @GET
    @Operation(summary = "List the data planes connected now or seen recently, with the revision each has applied")
    public Page<DataPlaneStatus> list() {
        return new Page<>(fleet.list(), null);
    }
}
