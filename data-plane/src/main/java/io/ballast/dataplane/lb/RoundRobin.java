package io.ballast.dataplane.lb;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Each call takes the next candidate. The counter is shared by all event loops, so the spread over a
 * pool is even across the whole data plane, not per thread. Weights are ignored (weighted round robin is
 * its own algorithm). Thread-safe.
 */
final class RoundRobin implements LoadBalancer {
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public <E extends Endpoint> E select(List<E> candidates, RequestKey key) {
        int size = candidates.size();
        if (size == 0) {
            return null;
        }
        // floorMod keeps the index valid after the counter wraps past Integer.MAX_VALUE.
        return candidates.get(Math.floorMod(next.getAndIncrement(), size));
    }
}
