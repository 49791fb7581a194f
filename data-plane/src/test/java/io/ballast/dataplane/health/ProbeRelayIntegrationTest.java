package io.ballast.dataplane.health;

import static io.ballast.dataplane.testing.Configs.pool;
import static io.ballast.dataplane.testing.Configs.push;
import static io.ballast.dataplane.testing.Configs.route;
import static io.ballast.dataplane.testing.Configs.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.testing.FakeControlPlane;
import io.ballast.dataplane.testing.TestBackend;
import io.ballast.dataplane.upstream.Member;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.wire.v1.Ack;
import io.ballast.wire.v1.Hello;
import io.ballast.wire.v1.ProbeAssignment;
import io.ballast.wire.v1.ProbeVerdicts;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prober sharding with real backends and a real data plane: assigned, it probes only its share and applies relayed
 * verdicts; without verdicts, or with the control plane gone, it probes everything itself.
 */
class ProbeRelayIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Backends probed every 150 ms (Configs.FAST_CHECK): a whole second is several probes. */
    private static final Duration SEVERAL_PROBES = Duration.ofSeconds(1);

    @TempDir
    Path cacheDir;

    private Vertx vertx;
    private FakeControlPlane cp;
    private TestBackend a;
    private TestBackend b;
    private DataPlane dp;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        cp = FakeControlPlane.start(vertx);
        a = TestBackend.start(vertx, "a");
        b = TestBackend.start(vertx, "b");
        dp = DataPlaneFixture.start(DataPlaneSettings.forTesting("node-1", cacheDir)
                .withControlPlaneUrls(List.of(URI.create(cp.url())), "dp-secret"));
        Hello hello = cp.next(Hello.class, WAIT);
        assertThat(hello.supports(Hello.PROBE_ASSIGNMENT)).isTrue();
        ConfigSnapshot config = snapshot(List.of(pool("web", a, b)), List.of(route("site", "web")));
        cp.send(push(1, config));
        cp.next(Ack.class, WAIT);
        await().atMost(WAIT).until(() -> state("a") == HealthState.HEALTHY && state("b") == HealthState.HEALTHY);
    }

    @AfterEach
    void stop() throws Exception {
        if (dp != null) {
            dp.close().await(30, TimeUnit.SECONDS);
        }
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private HealthState state(String backend) {
        for (UpstreamPool pool : dp.config().current().table().pools()) {
            for (Member m : pool.members()) {
                if (m.backend().name().equals(backend)) {
                    return m.live().health().state();
                }
            }
        }
        throw new AssertionError("no backend " + backend);
    }

    private static ProbeAssignment relaying(String backend) {
        return new ProbeAssignment(List.of(new ProbeAssignment.BackendRef("web", backend)), 10);
    }

    /** Whether {@code backend} gets no probe in {@link #SEVERAL_PROBES} (after one in flight lands). */
    private static boolean unprobed(TestBackend backend) throws InterruptedException {
        Thread.sleep(300);
        int before = backend.probes();
        Thread.sleep(SEVERAL_PROBES.toMillis());
        return backend.probes() == before;
    }

    private static boolean probed(TestBackend backend) throws InterruptedException {
        int before = backend.probes();
        Thread.sleep(SEVERAL_PROBES.toMillis());
        return backend.probes() > before;
    }

    @Test
    void anAssignedNodeProbesOnlyItsShareAndTakesTheRelayedVerdicts() throws Exception {
        cp.send(relaying("b"));
        cp.send(new ProbeVerdicts(List.of(new ProbeVerdicts.Verdict("web", "b", false, "unhealthy:Timeout"))));
        // The verdict is the probers', not this node's: b answers its checks, yet is out because they say so.
        await().atMost(WAIT).until(() -> state("b") == HealthState.UNHEALTHY);
        assertThat(unprobed(b)).as("b is left to its probers").isTrue();
        assertThat(probed(a)).as("a is still probed here").isTrue();
        assertThat(state("b")).isEqualTo(HealthState.UNHEALTHY);

        cp.send(new ProbeVerdicts(List.of(new ProbeVerdicts.Verdict("web", "b", true, "healthy"))));
        await().atMost(WAIT).until(() -> state("b") == HealthState.HEALTHY);
    }

    @Test
    void losingTheControlPlaneMeansProbingEverythingAgain() throws Exception {
        cp.send(relaying("b"));
        cp.send(new ProbeVerdicts(List.of(new ProbeVerdicts.Verdict("web", "b", false, "unhealthy:Timeout"))));
        await().atMost(WAIT).until(() -> state("b") == HealthState.UNHEALTHY);
        assertThat(unprobed(b)).isTrue();

        cp.stop();
        // Its own probes pass, so b comes back on this node's checks alone (2 passes of FAST_CHECK).
        await().atMost(WAIT).until(() -> b.probes() > 0 && state("b") == HealthState.HEALTHY);
        assertThat(probed(b)).isTrue();
    }

    @Test
    void aRelayedBackendWithoutAVerdictIsProbedHereAfterThreeIntervals() throws Exception {
        cp.send(relaying("b"));
        // No verdict ever comes (its probers are silent): after 3 × 150 ms this node checks b itself again.
        await().atMost(WAIT).until(() -> dp.probeRelay().relayedCount() == 1);
        Thread.sleep(ProbeRelay.NO_VERDICT_INTERVALS * 150 + 300);
        assertThat(probed(b)).isTrue();
    }
}
