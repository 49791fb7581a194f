package io.ballast.dataplane.config;

import static io.ballast.dataplane.testing.Configs.push;
import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.model.Backend;
import io.ballast.model.HealthCheck;
import io.ballast.model.Pool;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The apply path of a real data plane: what happens to snapshots that arrive while one is being applied. */
class SnapshotApplierIntegrationTest {
    @TempDir
    Path cacheDir;
    private DataPlane dp;

    @AfterEach
    void stop() throws Exception {
        if (dp != null) {
            dp.close().await(30, TimeUnit.SECONDS);
        }
    }

    /** {@code base} plus {@code pools} pools of {@code backends} backends each on closed loopback ports, probed rarely. */
    static ConfigSnapshot manyPools(ConfigSnapshot base, int pools, int backends) {
        HealthCheck rare = new HealthCheck(null, null, "/", null, null, Duration.ofSeconds(60), Duration.ofSeconds(1),
                null, null, Duration.ofSeconds(60), null);
        List<Pool> all = new ArrayList<>(base.pools());
        for (int p = 0; p < pools; p++) {
            List<Backend> list = IntStream.range(0, backends)
                    .mapToObj(b -> Backend.of("127.0.0.1", 20_000 + b).withName("b" + b)).toList();
            all.add(Pool.named("bulk-" + p).withHealthCheck(rare).withBackends(list));
        }
        return new ConfigSnapshot(all, base.routes());
    }

    @Test
    void snapshotsThatArriveDuringAnApplyCollapseToTheNewest() throws Exception {
        dp = DataPlaneFixture.start(DataPlaneSettings.forTesting("collapse", cacheDir));
        // The first one is large, so the next three all arrive while it is being built.
        ConfigSnapshot slow = manyPools(ConfigSnapshot.EMPTY, 500, 10);
        List<Future<ApplyResult>> results = new ArrayList<>();
        results.add(dp.applier().apply(push(1, slow), SnapshotApplier.Source.LOCAL));
        for (int revision = 2; revision <= 4; revision++) {
            ConfigSnapshot small = manyPools(ConfigSnapshot.EMPTY, revision, 1);
            results.add(dp.applier().apply(push(revision, small), SnapshotApplier.Source.LOCAL));
        }
        List<ApplyResult> outcomes = new ArrayList<>();
        for (Future<ApplyResult> f : results) {
            outcomes.add(f.await(30, TimeUnit.SECONDS));
        }

        assertThat(outcomes.get(0)).isInstanceOf(ApplyResult.Applied.class);
        assertThat(outcomes.get(1)).isEqualTo(new ApplyResult.Superseded(2, manyPools(ConfigSnapshot.EMPTY, 2, 1).hash()));
        assertThat(outcomes.get(2)).isInstanceOf(ApplyResult.Superseded.class);
        assertThat(outcomes.get(3)).isInstanceOf(ApplyResult.Applied.class);
        assertThat(outcomes.get(1).reply()).isEmpty();
        assertThat(dp.config().current().revision()).isEqualTo(4);
        assertThat(dp.config().current().table().pools()).hasSize(4);
        assertThat(new SnapshotCache(cacheDir).load().orElseThrow().revision()).isEqualTo(4);
    }
}
