package io.ballast.dataplane.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.config.ApplyResult;
import io.ballast.dataplane.config.SnapshotApplier;
import io.ballast.dataplane.health.HealthState;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.upstream.Member;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.ballast.model.snapshot.ConfigSnapshot;
import java.util.concurrent.TimeUnit;

/** Starts a real data plane for a test and applies configs through the same path the control plane uses. */
public final class DataPlaneFixture {
    private DataPlaneFixture() {
    }

    public static DataPlane start(DataPlaneSettings settings) throws Exception {
        return DataPlane.start(settings).await(30, TimeUnit.SECONDS);
    }

    public static ApplyResult apply(DataPlane dp, long revision, ConfigSnapshot snapshot) throws Exception {
        return dp.applier().apply(Configs.push(revision, snapshot), SnapshotApplier.Source.LOCAL).await(30, TimeUnit.SECONDS);
    }

    public static HealthState health(DataPlane dp, String pool, String backend) {
        UpstreamPool p = dp.config().current().table().pool(pool);
        Member m = p.members().stream().filter(x -> x.backend().name().equals(backend)).findFirst().orElseThrow();
        return m.live().health().state();
    }

    public static int proxyPort(DataPlane dp) {
        assertThat(dp.proxyAddresses()).isNotEmpty();
        return dp.proxyAddresses().get(0).port();
    }
}
