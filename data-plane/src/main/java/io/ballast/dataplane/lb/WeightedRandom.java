package io.ballast.dataplane.lb;

import java.util.List;

/**
 * Draws a point in {@code [0, sum of weights)} and takes the candidate whose span holds it, so each is chosen
 * with probability weight / total. Thread-safe when the random source is.
 */
final class WeightedRandom implements LoadBalancer {
    private final RandomSource random;

    WeightedRandom(RandomSource random) {
        this.random = random;
    }

    @Override
    public <E extends Endpoint> E select(List<E> candidates, RequestKey key) {
        int size = candidates.size();
        if (size <= 1) {
            return size == 0 ? null : candidates.get(0);
        }
        int total = 0;
        for (E e : candidates) {
            total += e.weight();
        }
        if (total <= 0) {
            return candidates.get(random.nextInt(size));
        }
        int point = random.nextInt(total);
        for (E e : candidates) {
            point -= e.weight();
            if (point < 0) {
                return e;
            }
        }
        return candidates.get(size - 1);
    }
}
