package io.ballast.model;

/**
 * One pool of a route's weighted split ({@code pools: [{pool, weight}]}): blue/green or canary traffic.
 *
 * @param pool   the pool's name
 * @param weight its share against the other pools of the split [1; 0-1000, 0 takes no new traffic]
 */
public record WeightedPool(String pool, Integer weight) {
    public WeightedPool {
        weight = weight == null ? 1 : weight;
    }
}
