package io.ballast.controlplane.console;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import io.ballast.controlplane.config.PoolService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code GET /api/v1/pools/{pool}/traffic}: the pool's request and 5xx rates of the last 15 minutes in
 * 10-second buckets, each backend's current figures (in flight, open connections, latest health check) and the
 * pool's queue, from the heartbeats of the data planes connected to this control-plane instance.
 * A root resource of its own: JAX-RS would otherwise route the path into {@code PoolResource}.
 */
@Tag(name = "traffic")
@Path("/api/v1/pools/{pool}/traffic")
@Produces(MediaType.APPLICATION_JSON)
public class PoolTrafficResource {
    private final TrafficRecorder recorder;
    private final PoolService pools;

    PoolTrafficResource(TrafficRecorder recorder, PoolService pools) {
        this.recorder = recorder;
        this.pools = pools;
    }

    @GET
    @Operation(summary = "A pool's request and 5xx rates over the last 15 minutes, requests queued for a connection now, and each "
            + "backend's latest rates, in-flight requests, open connections and latest health check")
    public TrafficSeries.PoolTraffic pool(@PathParam("pool") String pool) {
        // 404 for a pool that does not exist, like every other pool sub-resource.
        pools.get(pool);
        return recorder.pool(pool);
    }
}
