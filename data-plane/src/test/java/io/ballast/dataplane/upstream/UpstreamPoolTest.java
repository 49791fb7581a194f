package io.ballast.dataplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.dataplane.health.ProbeOutcome;
import io.ballast.model.Backend;
import io.ballast.model.Pool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UpstreamPoolTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final LiveBackends live = new LiveBackends(now::get);

    private UpstreamPool pool(Duration slowStart, int panicPercent, String... names) {
        List<Backend> backends = java.util.Arrays.stream(names)
                .map(n -> Backend.of("127.0.0.1", 10_000 + n.charAt(0)).withName(n)).toList();
        Pool config = Pool.builder("web").panicThresholdPercent(panicPercent).slowStart(slowStart).backends(backends).build();
        return UpstreamPool.build(config, live);
    }

    private static void pass(UpstreamPool pool, String name) {
        member(pool, name).live().health().record(ProbeOutcome.PASS, 2, 3);
    }

    private static void fail(UpstreamPool pool, String name, int times) {
        for (int i = 0; i < times; i++) {
            member(pool, name).live().health().record(ProbeOutcome.fail("Timeout"), 2, 3);
        }
    }

    private static Member member(UpstreamPool pool, String name) {
        return pool.members().stream().filter(m -> m.backend().name().equals(name)).findFirst().orElseThrow();
    }

    private static int share(UpstreamPool pool, String name, int picks) {
        int n = 0;
        for (int i = 0; i < picks; i++) {
            if (pool.select().backend().name().equals(name)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void slowStartRampsANewlyHealthyBackendsShare() {
        UpstreamPool pool = pool(Duration.ofSeconds(10), 0, "a", "b");
        pass(pool, "a");
        now.addAndGet(60_000);
        pass(pool, "b");
        int early = share(pool, "b", 2_000);
        assertThat(early).as("about a tenth of its half at the start").isBetween(50, 200);
        now.addAndGet(5_000);
        int middle = share(pool, "b", 2_000);
        assertThat(middle).as("about half of its half halfway").isBetween(350, 650);
        now.addAndGet(5_000);
        assertThat(share(pool, "b", 2_000)).as("its full half after the ramp").isEqualTo(1_000);
    }

    @Test
    void panicSpreadsOverProbedEnabledBackendsButNeverOverUnprobedOnes() {
        UpstreamPool pool = pool(Duration.ZERO, 50, "a", "b", "c", "d");
        assertThat(pool.select()).as("nothing probed yet").isNull();
        pass(pool, "a");
        fail(pool, "b", 3);
        fail(pool, "c", 3);
        assertThat(pool.panic()).as("1 of 3 probed is healthy").isTrue();
        assertThat(pool.eligible()).extracting(m -> m.backend().name()).containsExactly("a", "b", "c");
        pass(pool, "b");
        pass(pool, "b");
        assertThat(pool.panic()).isFalse();
        assertThat(pool.eligible()).extracting(m -> m.backend().name()).containsExactly("a", "b");
    }

    @Test
    void anEjectedBackendComesBackWhenItsTimeRunsOut() {
        UpstreamPool pool = pool(Duration.ZERO, 0, "a", "b");
        pass(pool, "a");
        pass(pool, "b");
        member(pool, "b").live().health().eject("Consecutive5xx", 2_000);
        assertThat(pool.eligible()).extracting(m -> m.backend().name()).containsExactly("a");
        now.addAndGet(1_999);
        assertThat(pool.eligible()).hasSize(1);
        now.addAndGet(1);
        assertThat(pool.eligible()).extracting(m -> m.backend().name()).containsExactly("a", "b");
        assertThat(member(pool, "b").live().health().ejected(now.get())).isFalse();
    }
}
