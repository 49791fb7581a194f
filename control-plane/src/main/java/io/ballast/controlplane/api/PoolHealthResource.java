package io.ballast.controlplane.api;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import io.ballast.controlplane.config.PoolService;
import io.ballast.controlplane.health.BackendHealth;
import io.ballast.controlplane.health.HealthQueries;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/pools/{pool}/health}: the fleet-wide health of one pool's backends. A class of its own
 * because JAX-RS matches the longest class path first, and {@code /api/v1/pools} would otherwise take it.
 */
@Tag(name = "health")
@Path("/api/v1/pools/{pool}/health")
@Produces(MediaType.APPLICATION_JSON)
public class PoolHealthResource {
    private final HealthQueries health;
    private final PoolService pools;

    PoolHealthResource(HealthQueries health, PoolService pools) {
        this.health = health;
        this.pools = pools;
    }

    @GET
    public Page<BackendHealth> pool(@PathParam("pool") String pool) {
        pools.get(pool); // a 404 problem for an unknown pool rather than an empty list
        return new Page<>(health.backends(pool), null);
    }
}
