package io.ballast.controlplane.api;

import io.ballast.model.Algorithm;
import io.ballast.model.Backend;
import io.ballast.model.Pool;
import jakarta.ws.rs.core.Response;

/**
 * Says so when a write sets a weight that the pool's algorithm ignores: plain round robin takes
 * backends in turn, so {@code "weight":50} would otherwise do nothing without a word. Weight 0 still
 * matters (it takes the backend out of rotation), so it is not warned about.
 */
final class WeightWarning {
    static final String HEADER = "X-Ballast-Warning";

    private WeightWarning() {
    }

    static Response addTo(Response response, Pool pool, Backend backend) {
        if (pool.algorithm() != Algorithm.ROUND_ROBIN || backend.weight() == Backend.DEFAULT_WEIGHT || backend.weight() == 0) {
            return response;
        }
        return Response.fromResponse(response).header(HEADER, "weight " + backend.weight() + " has no effect: pool '"
                + pool.name() + "' uses round-robin, which ignores weights; set its algorithm to weighted-round-robin").build();
    }
}
