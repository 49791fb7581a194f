package io.ballast.dataplane.lb;

import io.ballast.model.Algorithm;
import java.util.List;

/**
 * Chooses one backend of a pool for a request. A balancer is given only the candidates that may take
 * traffic now (healthy, enabled, weight above zero, not already tried); it never probes and never
 * filters. One instance serves one pool of one routing table and is called concurrently from every
 * event loop, so implementations must be thread-safe.
 */
public interface LoadBalancer {

    /** Takes the candidates in turn. */
    static LoadBalancer roundRobin() {
        return new RoundRobin();
    }

    /**
     * The balancer for a pool's configured algorithm. Only round robin exists so far: the other algorithms
     * of API.md (weighted round robin, least requests, power of two choices, random, consistent hash) come
     * with their own issue and map to round robin until then, so a pool that names them still works.
     */
    static LoadBalancer forAlgorithm(Algorithm algorithm) {
        return switch (algorithm) {
            case ROUND_ROBIN, WEIGHTED_ROUND_ROBIN, LEAST_REQUESTS, POWER_OF_TWO_CHOICES, RANDOM, CONSISTENT_HASH ->
                    roundRobin();
        };
    }

    /**
     * Picks one of {@code candidates}.
     *
     * @param candidates the backends that may take this request, in a stable order; may be empty
     * @return the chosen candidate, or {@code null} when there is none
     */
    <E extends Endpoint> E select(List<E> candidates);
}
