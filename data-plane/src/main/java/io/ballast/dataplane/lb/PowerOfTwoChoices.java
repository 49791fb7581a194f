package io.ballast.dataplane.lb;

import java.util.List;

/**
 * Draws two distinct candidates at random and takes the one with the lower weighted load (the first drawn
 * on a tie). Nearly as good as a full scan of least requests, O(1), and without the herd that a full scan
 * causes when many proxies see the same momentary minimum. Thread-safe when the random source is.
 */
final class PowerOfTwoChoices implements LoadBalancer {
    private final RandomSource random;

    PowerOfTwoChoices(RandomSource random) {
        this.random = random;
    }

    @Override
    public <E extends Endpoint> E select(List<E> candidates, RequestKey key) {
        int size = candidates.size();
        if (size <= 1) {
            return size == 0 ? null : candidates.get(0);
        }
        int i = random.nextInt(size);
        // Drawing from size-1 and skipping i makes the second choice distinct and uniform.
        int j = random.nextInt(size - 1);
        if (j >= i) {
            j++;
        }
        E a = candidates.get(i);
        E b = candidates.get(j);
        return Load.compare(b, a) < 0 ? b : a;
    }
}
