package io.ballast.e2e;

import static io.ballast.e2e.E2e.awaitApplied;
import static io.ballast.e2e.E2e.awaitServing;
import static io.ballast.e2e.E2e.created;
import static io.ballast.e2e.E2e.json;
import static io.ballast.e2e.E2e.latestRevision;
import static io.ballast.e2e.E2e.status;
import static io.ballast.e2e.E2e.webPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Control-plane failover (issue 12, part 4): two control planes on one PostgreSQL, both named in every data plane's
 * BALLAST_CP_URLS, and reached by operators through Ballast itself (a pool of the control planes behind a route on
 * the data planes). One is killed with SIGKILL under write load through the other: every data plane reconnects to
 * the survivor within its backoff, no write that answered 2xx is lost, the survivor's /dataplanes is right, and the
 * API stays reachable through the data plane with no failed read.
 */
class ControlPlaneFailoverEndToEndTest {
    private static final String API_HOST = "api.ballast.test";
    /** The data plane's reconnect backoff tops out at 10 s (DataPlane: Backoff(200, 10_000)); allow a heartbeat more. */
    private static final Duration RECONNECT_BOUND = Duration.ofSeconds(15);

    private final Closer closer = new Closer();

    @AfterEach
    void stopEverything() throws Exception {
        closer.close();
    }

    @Test
    void killingOneControlPlaneUnderWritesLosesNoWriteMovesEveryDataPlaneAndKeepsTheApiReachableThroughBallast() throws Exception {
        SharedDatabase db = closer.later(SharedDatabase.start());
        ControlPlane survivor = closer.later(ControlPlane.start("e2e-cpfo-a", db));
        ControlPlane victim = closer.later(ControlPlane.start("e2e-cpfo-b", db));
        TestBackend web = closer.later(TestBackend.start("web"));
        Http api = survivor.admin();
        webPool(api, web.port());
        // The control planes as a Ballast pool: operators, the console and the CLI use one address (a data plane,
        // or the VIP in front of them) and reach whichever control plane is alive.
        created(api.post("/pools", """
                {"name": "control-planes", "healthCheck": {"path": "/q/health/ready", "interval": "500ms",
                 "transitionInterval": "200ms", "timeout": "300ms", "healthyThreshold": 1, "unhealthyThreshold": 2}}"""));
        for (ControlPlane cp : List.of(survivor, victim)) {
            int port = Integer.parseInt(cp.url().substring(cp.url().lastIndexOf(':') + 1));
            created(api.post("/pools/control-planes/backends", "{\"host\": \"127.0.0.1\", \"port\": " + port + "}"));
        }
        created(api.post("/routes", "{\"name\": \"ballast-api\", \"hosts\": [\"" + API_HOST + "\"], \"pool\": \"control-planes\"}"));

        // Both data planes know both control planes and start on the one that will die.
        String urls = victim.url() + "," + survivor.url();
        List<DataPlane> fleet = List.of(
                closer.later(DataPlane.start("e2e-cpfo-dp-1", urls, ManagedProcess.tempDir("ballast-e2e-cpfo-1"))),
                closer.later(DataPlane.start("e2e-cpfo-dp-2", urls, ManagedProcess.tempDir("ballast-e2e-cpfo-2"))));
        for (DataPlane dp : fleet) {
            awaitServing(dp, "web");
            await(dp.nodeId() + " on the first URL").atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(status(dp).path("controlPlane").path("url").asText()).contains(authority(victim)));
        }
        Http throughBallast = new Http("http://127.0.0.1:" + fleet.get(0).proxyPort() + "/api/v1", ControlPlane.ADMIN_TOKEN);
        await("the API answers through the data plane").atMost(Duration.ofSeconds(20)).until(() -> {
            HttpResponse<String> r = throughBallast.getWithHost("/pools/control-planes", API_HOST);
            return r.statusCode() == 200;
        });

        AtomicBoolean running = new AtomicBoolean(true);
        List<String> written = new CopyOnWriteArrayList<>();
        List<String> writeErrors = new CopyOnWriteArrayList<>();
        List<String> readFailures = new CopyOnWriteArrayList<>();
        AtomicInteger reads = new AtomicInteger();
        Thread writer = new Thread(() -> {
            for (int i = 0; running.get() && i < 2_000; i++) {
                String name = "w-" + i;
                try {
                    HttpResponse<String> r = api.post("/pools", "{\"name\": \"" + name + "\"}");
                    if (r.statusCode() / 100 == 2) {
                        written.add(name);
                    } else {
                        writeErrors.add(name + ": " + r.statusCode() + " " + r.body());
                    }
                } catch (RuntimeException e) {
                    writeErrors.add(name + ": " + e);
                }
                sleep(50);
            }
        }, "cpfo-writer");
        Thread reader = new Thread(() -> {
            for (int i = 0; running.get() && i < 5_000; i++) {
                try {
                    HttpResponse<String> r = throughBallast.getWithHost("/pools/web", API_HOST);
                    if (r.statusCode() == 200) {
                        reads.incrementAndGet();
                    } else {
                        readFailures.add(r.statusCode() + " " + r.body());
                    }
                } catch (RuntimeException e) {
                    readFailures.add(e.toString());
                }
                sleep(20);
            }
        }, "cpfo-reader");
        writer.start();
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> written.size() >= 10 && reads.get() >= 20);
            long killedAt = System.nanoTime();
            victim.kill();

            for (DataPlane dp : fleet) {
                await(dp.nodeId() + " reconnects to the survivor").atMost(RECONNECT_BOUND).pollInterval(Duration.ofMillis(100))
                        .untilAsserted(() -> {
                            JsonNode cp = status(dp).path("controlPlane");
                            assertThat(cp.path("connected").asBoolean()).isTrue();
                            assertThat(cp.path("url").asText()).contains(authority(survivor));
                        });
                long reconnected = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
                HaResults.record(1, "control-plane-sigkill-" + dp.nodeId(), reconnected, readFailures.size(),
                        "data plane reconnected to the survivor; failed = API reads through Ballast so far");
            }
            int before = written.size();
            await("writes keep flowing").atMost(Duration.ofSeconds(10)).until(() -> written.size() > before + 10);
        } finally {
            running.set(false);
            writer.join(15_000);
            reader.join(15_000);
        }

        assertThat(writeErrors).as("writes through the survivor").isEmpty();
        List<String> missing = new ArrayList<>();
        for (String name : written) {
            if (api.get("/pools/" + name).statusCode() != 200) {
                missing.add(name);
            }
        }
        assertThat(missing).as("2xx writes lost").isEmpty();
        long latest = latestRevision(api);
        for (DataPlane dp : fleet) {
            awaitApplied(dp, latest);
        }
        JsonNode listed = json(api.get("/dataplanes"));
        for (DataPlane dp : fleet) {
            JsonNode node = listed.path("items").findParents("nodeId").stream()
                    .filter(n -> n.path("nodeId").asText().equals(dp.nodeId())).findFirst().orElseThrow();
            await(dp.nodeId() + " synced on the survivor").atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                JsonNode now = json(api.get("/dataplanes/" + dp.nodeId()));
                assertThat(now.path("connected").asBoolean()).isTrue();
                assertThat(now.path("syncState").asText()).isEqualTo("SYNCED");
                assertThat(now.path("appliedRevision").asLong()).isEqualTo(latest);
            });
            assertThat(node.path("nodeId").asText()).isEqualTo(dp.nodeId());
        }
        assertThat(readFailures).as("API reads through Ballast while a control plane died").isEmpty();
        assertThat(reads.get()).isPositive();
    }

    /** host:port/ of a control plane, as it appears in the ws:// URL a data plane reports. */
    private static String authority(ControlPlane cp) {
        return cp.url().substring(cp.url().indexOf("://") + 3) + "/";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
