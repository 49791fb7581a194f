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

    /** Takes the candidates in turn, ignoring weights. */
    static LoadBalancer roundRobin() {
        return new RoundRobin();
    }

    /** nginx's smooth weighted round robin: weights honoured exactly over a cycle, interleaved, no bursts. */
    static LoadBalancer weightedRoundRobin() {
        return new SmoothWeightedRoundRobin();
    }

    /** The candidate with the fewest requests in flight per unit of weight; ties broken at random. */
    static LoadBalancer leastRequests(RandomSource random) {
        return new LeastRequests(random);
    }

    /** Two candidates drawn at random, the one with fewer in-flight requests per unit of weight wins. */
    static LoadBalancer powerOfTwoChoices(RandomSource random) {
        return new PowerOfTwoChoices(random);
    }

    /** A candidate drawn at random in proportion to its weight. */
    static LoadBalancer random(RandomSource random) {
        return new WeightedRandom(random);
    }

    /**
     * A weighted hash ring on the request's {@link RequestKey#hash()}: one key always reaches the same
     * backend while the candidates stay the same, and removing one of N backends moves only about 1/N of the
     * keys. Requests without a key go to {@code withoutKey}.
     */
    static LoadBalancer consistentHash(LoadBalancer withoutKey) {
        return new RingHash(withoutKey);
    }

    /**
     * Sends a request whose affinity cookie names a candidate to that candidate; anything else (no cookie,
     * or the named backend is not a candidate because it is unhealthy, draining or gone) goes to {@code fallback}.
     */
    static LoadBalancer stickyCookie(LoadBalancer fallback) {
        return new StickyAffinity(fallback);
    }

    /** The balancer for a pool's configured algorithm, with an affinity cookie in front when one is set. */
    static LoadBalancer forAlgorithm(Algorithm algorithm, boolean sticky, RandomSource random) {
        LoadBalancer base = switch (algorithm) {
            case ROUND_ROBIN -> roundRobin();
            case WEIGHTED_ROUND_ROBIN -> weightedRoundRobin();
            case LEAST_REQUESTS -> leastRequests(random);
            case POWER_OF_TWO_CHOICES -> powerOfTwoChoices(random);
            case RANDOM -> random(random);
            case CONSISTENT_HASH -> consistentHash(random(random));
        };
        return sticky ? stickyCookie(base) : base;
    }

    /**
     * Picks one of {@code candidates}.
     *
     * @param candidates the backends that may take this request, in a stable order; may be empty
     * @param key        what the request says about where it would like to go; {@link RequestKey#NONE} if nothing
     * @return the chosen candidate, or {@code null} when there is none
     */
    <E extends Endpoint> E select(List<E> candidates, RequestKey key);

    /** {@link #select(List, RequestKey)} for a request with no key. */
    default <E extends Endpoint> E select(List<E> candidates) {
        return select(candidates, RequestKey.NONE);
    }
}
