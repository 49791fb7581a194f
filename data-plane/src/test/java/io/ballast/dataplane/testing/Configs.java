package io.ballast.dataplane.testing;

import io.ballast.model.Backend;
import io.ballast.model.HealthCheck;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.Timeouts;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.wire.v1.SnapshotPush;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Small builders of snapshots for tests. */
public final class Configs {
    private Configs() {
    }

    /** Probes every 100 ms; 2 passes to come back, 2 failures to go out. */
    public static final HealthCheck FAST_CHECK = new HealthCheck(null, null, "/healthz", null, null,
            Duration.ofMillis(150), Duration.ofMillis(300), 2, 2, Duration.ofMillis(100), null);

    public static Pool pool(String name, TestBackend... backends) {
        List<Backend> list = Arrays.stream(backends).map(b -> Backend.of("127.0.0.1", b.port()).withName(b.name())).toList();
        return Pool.named(name).withHealthCheck(FAST_CHECK).withBackends(list);
    }

    /** {@code pool} with its request timeout (the 504 deadline) set to {@code timeout}. */
    public static Pool withRequestTimeout(Pool pool, Duration timeout) {
        return pool.toBuilder().timeouts(new Timeouts(null, timeout, null)).build();
    }

    /** {@code pool} with its idle timeout (how long a backend connection may sit unused) set to {@code idle}. */
    public static Pool withIdleTimeout(Pool pool, Duration idle) {
        return pool.toBuilder().timeouts(new Timeouts(null, null, idle)).build();
    }

    /** {@code pool} that never enters panic mode: with no healthy backend it answers 503 rather than try them all. */
    public static Pool withoutPanic(Pool pool) {
        return pool.toBuilder().panicThresholdPercent(0).build();
    }

    public static Route route(String name, String pool) {
        return Route.of(name, pool);
    }

    public static ConfigSnapshot snapshot(List<Pool> pools, List<Route> routes) {
        return new ConfigSnapshot(pools, routes);
    }

    public static SnapshotPush push(long revision, ConfigSnapshot snapshot) {
        return new SnapshotPush(revision, snapshot.hash(), snapshot);
    }
}
