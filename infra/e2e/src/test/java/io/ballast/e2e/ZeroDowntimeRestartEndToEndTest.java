package io.ballast.e2e;

import static io.ballast.e2e.E2e.awaitServing;
import static io.ballast.e2e.E2e.webPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scenario 8 of TESTING.md with real processes from the packaged jar: under steady keep-alive load, a second data
 * plane binds the same proxy port (SO_REUSEPORT), the first gets SIGTERM, drains and exits, and not one request fails.
 */
class ZeroDowntimeRestartEndToEndTest {
    private static final Map<String, String> DRAIN = Map.of("BALLAST_DRAIN_DELAY", "2s", "BALLAST_SHUTDOWN_GRACE", "10s");

    private final Closer closer = new Closer();

    @AfterEach
    void stopEverything() throws Exception {
        closer.close();
    }

    @Test
    void aNewProcessTakesOverThePortWhileTheOldOneDrainsWithNoFailedRequest() throws Exception {
        ControlPlane cp = closer.later(ControlPlane.start("e2e-restart-cp", ManagedProcess.tempDir("ballast-e2e-restart-cp")));
        TestBackend backend = closer.later(TestBackend.start("one"));
        webPool(cp.admin(), backend.port());
        int port = Ports.free();
        // Like the two systemd slots of one host: the same node id and cache directory, one port.
        java.io.File cache = ManagedProcess.tempDir("ballast-e2e-restart");
        DataPlane old = closer.later(DataPlane.startOn("e2e-restart", cp.url(), cache, port, DRAIN));
        awaitServing(old, "one");

        SteadyLoad load = closer.later(SteadyLoad.start(old.proxy(), "/steady"));
        await().atMost(Duration.ofSeconds(10)).until(() -> load.succeeded() > 50);

        DataPlane serving = old;
        for (int round = 1; round <= HaResults.rounds(); round++) {
            int failedBefore = load.failures().size();
            // The new process binds the same address while the old one still serves.
            DataPlane fresh = closer.later(DataPlane.startOn("e2e-restart", cp.url(), cache, port, DRAIN));
            awaitServing(fresh, "one");
            long t0 = System.nanoTime();
            DataPlane leaving = serving;
            leaving.terminate();
            await("/ready of the old process answers 503").atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        var ready = leaving.admin().tryGet("/ready");
                        return ready == null || ready.statusCode() == 503;
                    });
            assertThat(leaving.awaitExit(Duration.ofSeconds(30))).as("old process exits after its drain").isTrue();
            long handover = Duration.ofNanos(System.nanoTime() - t0).toMillis();
            assertThat(leaving.output()).contains("Ballast data plane stopped");

            // Every request from now on can only be served by the new process.
            int atExit = load.succeeded();
            await("the new process serves the port alone").atMost(Duration.ofSeconds(10)).until(() -> load.succeeded() > atExit + 100);
            int failed = load.failures().size() - failedBefore;
            HaResults.record(round, "same-port-restart", handover, failed, "old process drained and exited after " + handover + " ms");
            assertThat(fresh.isAlive()).isTrue();
            serving = fresh;
        }
        load.close();
        assertThat(load.failures()).as("failed requests during the restarts").isEmpty();
        assertThat(load.succeeded()).isPositive();
    }
}
