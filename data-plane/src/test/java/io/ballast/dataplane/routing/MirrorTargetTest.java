package io.ballast.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.dataplane.lb.RandomSource;
import io.ballast.dataplane.upstream.LiveBackends;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.ballast.model.Mirror;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class MirrorTargetTest {
    private static final int DRAWS = 10_000;

    private static UpstreamPool shadow() {
        return UpstreamPool.build(Pool.named("shadow"), new LiveBackends(() -> 0));
    }

    private static int selected(int percent, long seed) {
        MirrorTarget target = MirrorTarget.of(Mirror.of("shadow", percent), shadow(), RandomSource.seeded(seed));
        int n = 0;
        for (int i = 0; i < DRAWS; i++) {
            if (target.selects()) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aPercentSelectsThatShareWithinTwoPercentOverTenThousandRequests() {
        for (int percent : new int[] {1, 10, 25, 50, 90}) {
            for (long seed : new long[] {1, 42, 2026}) {
                assertThat(selected(percent, seed)).as("%d%% seed %d", percent, seed)
                        .isBetween(DRAWS * percent / 100 - DRAWS / 50, DRAWS * percent / 100 + DRAWS / 50);
            }
        }
        assertThat(selected(100, 7)).isEqualTo(DRAWS);
    }

    @Test
    void zeroPercentOrNoMirrorBuildsNoTarget() {
        assertThat(MirrorTarget.of(Mirror.of("shadow", 0), shadow(), RandomSource.seeded(1))).isNull();
        assertThat(MirrorTarget.of(null, shadow(), RandomSource.seeded(1))).isNull();
    }

    @Test
    void theRoutingTableResolvesTheMirrorPoolAndOnlyMirroringRoutesCarryATarget() {
        ConfigSnapshot snapshot = new ConfigSnapshot(List.of(Pool.named("web"), Pool.named("shadow")), List.of(
                Route.of("plain", "web").withHosts(List.of("plain.example.com")),
                Route.of("mirrored", "web").withHosts(List.of("m.example.com")).withMirror(new Mirror("shadow", 30, 2048))));
        RoutingTable table = RoutingTable.build(snapshot, new LiveBackends(() -> 0));
        assertThat(table.match("plain.example.com", "/").mirror()).isNull();
        MirrorTarget target = table.match("m.example.com", "/").mirror();
        assertThat(target.pool()).isSameAs(table.pool("shadow"));
        assertThat(target.maxBody()).isEqualTo(2048);
    }
}
