package io.ballast.controlplane.console;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code GET /api/v1/traffic}: the overview's fleet-wide series and each pool's latest rates. */
@Tag(name = "traffic")
@Path("/api/v1/traffic")
@Produces(MediaType.APPLICATION_JSON)
public class FleetTrafficResource {
    private final TrafficRecorder recorder;

    FleetTrafficResource(TrafficRecorder recorder) {
        this.recorder = recorder;
    }

    @GET
    @Operation(summary = "Fleet-wide request and 5xx rates over the last 15 minutes, and each pool's latest rates and in-flight requests")
    public TrafficSeries.FleetTraffic fleet() {
        return recorder.series().fleet();
    }
}
