package io.ballast.dataplane.lb;

import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The randomness a balancer uses, injected so tests are deterministic. Implementations used by a live
 * balancer are called from every event loop and must be thread-safe.
 */
@FunctionalInterface
public interface RandomSource {

    /** A uniformly distributed int in {@code [0, bound)}; {@code bound} is positive. */
    int nextInt(int bound);

    /** The production source: {@link ThreadLocalRandom}, thread-safe and uncontended. */
    static RandomSource threadLocal() {
        return bound -> ThreadLocalRandom.current().nextInt(bound);
    }

    /** A reproducible source for tests. Not thread-safe. */
    static RandomSource seeded(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return random::nextInt;
    }
}
