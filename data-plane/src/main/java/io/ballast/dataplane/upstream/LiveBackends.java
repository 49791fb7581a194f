package io.ballast.dataplane.upstream;

import io.ballast.dataplane.health.HealthState;
import io.ballast.dataplane.health.HealthStatus;
import io.ballast.model.HealthCheck;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The registry of {@link LiveBackend}s by {@link BackendKey}: building a routing table obtains the live state
 * of each configured address (creating it in the pool's initial health state when new), and after the swap
 * the addresses no longer configured are forgotten. Also owns the counter of health transitions that pools
 * watch. Thread-safe.
 */
public final class LiveBackends {
    private final Map<BackendKey, LiveBackend> byKey = new ConcurrentHashMap<>();
    private final AtomicLong healthChanges = new AtomicLong();
    private final LongSupplier clock;

    public LiveBackends(LongSupplier clock) {
        this.clock = clock;
    }

    /** The live state of {@code key}, created when the address is new. */
    public LiveBackend obtain(BackendKey key, HealthCheck check) {
        return byKey.computeIfAbsent(key, k -> {
            HealthState initial = "healthy".equalsIgnoreCase(check.initialState()) ? HealthState.HEALTHY : HealthState.INITIAL;
            return new LiveBackend(k, new HealthStatus(initial, healthChanges, clock));
        });
    }

    /** Forgets every address not in {@code keys}; their in-flight requests still release the old objects. */
    public void retainOnly(Set<BackendKey> keys) {
        if (byKey.keySet().retainAll(keys)) {
            healthChanges.incrementAndGet();
        }
    }

    /** Epoch millis, the clock health states use. */
    public LongSupplier clock() {
        return clock;
    }

    /** Incremented on every health transition; pools recompute their candidates when it moves. */
    public AtomicLong healthChanges() {
        return healthChanges;
    }
}
