package io.ballast.e2e;

import static io.ballast.e2e.E2e.created;
import static io.ballast.e2e.E2e.latestRevision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The soak (issue 16): constant load through a data plane while the config is pushed every 10 s, one of three backends
 * is killed and started again every minute, and the control plane the data plane is on is restarted (the other of two
 * on one PostgreSQL keeps serving). No request may fail, every push must be applied, and the data plane's RSS, live
 * heap, threads and open files must end where they started after the warm-up. Three minutes here (CI);
 * {@code infra/bench/soak.sh} runs this same test for 30 minutes through {@code -Dballast.soak.*} (see {@link SoakSettings}).
 */
class SoakEndToEndTest {
    private final Closer closer = new Closer();

    @AfterEach
    void stopEverything() throws Exception {
        closer.close();
    }

    @Test
    void underConstantLoadWithPushesFlapsAndRestartsNoRequestFailsAndTheDataPlaneHoldsNoMoreThanAtTheStart() throws Exception {
        SoakSettings settings = SoakSettings.fromSystemProperties();
        SharedDatabase db = closer.later(SharedDatabase.start());
        ControlPlane first = closer.later(ControlPlane.start("e2e-soak-cp-a", db));
        ControlPlane second = closer.later(ControlPlane.start("e2e-soak-cp-b", db));
        SoakControlPlanes controlPlanes = new SoakControlPlanes(first, second);
        List<BackendProcess> backends = List.of(closer.later(BackendProcess.start("a")), closer.later(BackendProcess.start("b")),
                closer.later(BackendProcess.start("c")));
        Http api = first.admin();
        created(api.post("/pools", """
                {"name": "web", "algorithm": "weighted-round-robin", "healthCheck": {"path": "/healthz", "interval": "1s"}}"""));
        for (BackendProcess backend : backends) {
            created(api.post("/pools/web/backends", "{\"name\": \"" + backend.name() + "\", \"host\": \"127.0.0.1\", \"port\": " + backend.port() + "}"));
        }
        created(api.post("/routes", "{\"name\": \"site\", \"pool\": \"web\"}"));
        long configured = latestRevision(api);

        SoakDataPlane dp = closer.later(SoakDataPlane.start("e2e-soak-dp", controlPlanes.urls()));
        await("the data plane runs revision " + configured + " with every backend healthy").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    JsonNode status = dp.statusOrNull();
                    assertThat(status).as(dp.output()).isNotNull();
                    assertThat(status.path("appliedRevision").asLong()).isEqualTo(configured);
                    for (BackendProcess backend : backends) {
                        assertThat(SoakDataPlane.backend(status, "web", backend.name()).path("health").asText()).isEqualTo("healthy");
                    }
                });

        Set<String> names = Set.of("a", "b", "c");
        double maximum = settings.rate() > 0 ? 0 : ConstantRateLoad.measureMaximum("127.0.0.1", dp.proxyPort(), names, settings.connections(), 5);
        double rate = settings.rate() > 0 ? settings.rate() : maximum / 2;
        ConfigPusher pusher = new ConfigPusher(controlPlanes, dp, backends.get(0).port());
        ConstantRateLoad load = ConstantRateLoad.start("127.0.0.1", dp.proxyPort(), names, rate, settings.connections());
        SoakSchedule schedule;
        try {
            schedule = SoakSchedule.run(settings, controlPlanes, dp, backends, pusher);
        } finally {
            load.close();
        }

        SoakReport report = SoakReport.of(settings, backends.size(), maximum, rate, load, pusher, schedule);
        Path written = report.write();
        System.out.println(report.markdown() + "(written to " + written + ")");
        assertThat(report.passed()).as(report.markdown()).isTrue();
    }
}
