package io.ballast.dataplane.lb;

import java.util.List;

/**
 * Scans every candidate for the lowest load, where load is {@code (inFlight + 1) / weight} (so a backend
 * of weight 200 takes twice the concurrent requests of one of weight 100). Ties are broken uniformly at
 * random by reservoir sampling, so idle pools do not pile onto the first candidate. Thread-safe when the
 * random source is.
 */
final class LeastRequests implements LoadBalancer {
    private final RandomSource random;

    LeastRequests(RandomSource random) {
        this.random = random;
    }

    @Override
    public <E extends Endpoint> E select(List<E> candidates, RequestKey key) {
        E best = null;
        int ties = 0;
        for (E e : candidates) {
            if (best == null) {
                best = e;
                ties = 1;
                continue;
            }
            int cmp = Load.compare(e, best);
            if (cmp < 0) {
                best = e;
                ties = 1;
            } else if (cmp == 0 && random.nextInt(++ties) == 0) {
                best = e;
            }
        }
        return best;
    }
}
