package io.ballast.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static io.ballast.e2e.E2e.created;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A confirmed drain across two real data-plane processes under load: every in-flight request finishes (a slow
 * three-second one included), the drained backend gets no new request once the data planes have the new state,
 * {@code ?wait=drained} answers only after the last request ended, and the health history shows it.
 */
class DrainEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Closer closer = new Closer();

    @AfterEach
    void stopEverything() throws Exception {
        closer.close();
    }

    @Test
    void drainUnderLoadFinishesInFlightRequestsAndWaitAnswersAfterTheLastOne() throws Exception {
        ControlPlane cp = closer.later(ControlPlane.start("e2e-drain-cp", ManagedProcess.tempDir("ballast-e2e-drain-cp")));
        TestBackend a = closer.later(TestBackend.start("A"));
        TestBackend b = closer.later(TestBackend.start("B"));
        Http api = cp.admin();
        created(api.post("/pools", """
                {"name": "web", "healthCheck": {"path": "/healthz", "interval": "500ms", "transitionInterval": "200ms",
                 "timeout": "300ms", "healthyThreshold": 1, "unhealthyThreshold": 2}}"""));
        created(api.post("/pools/web/backends", "{\"name\": \"a\", \"host\": \"127.0.0.1\", \"port\": " + a.port() + "}"));
        created(api.post("/pools/web/backends", "{\"name\": \"b\", \"host\": \"127.0.0.1\", \"port\": " + b.port() + "}"));
        created(api.post("/routes", "{\"name\": \"site\", \"pool\": \"web\"}"));
        DataPlane dp1 = closer.later(DataPlane.start("e2e-drain-dp-1", cp.url(), ManagedProcess.tempDir("ballast-e2e-drain-dp1")));
        DataPlane dp2 = closer.later(DataPlane.start("e2e-drain-dp-2", cp.url(), ManagedProcess.tempDir("ballast-e2e-drain-dp2")));
        await("b healthy on 2 of 2").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> "healthy on 2 of 2 data planes".equals(backendHealth(api, "b").path("summary").asText()));

        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            // Two slow requests in a row through one data plane: round robin sends one to each backend.
            Future<HttpResponse<String>> slow1 = clients.submit(() -> dp1.proxy().get("/slow/3000"));
            await().atMost(Duration.ofSeconds(5)).until(() -> a.inFlight() + b.inFlight() == 1);
            Future<HttpResponse<String>> slow2 = clients.submit(() -> dp1.proxy().get("/slow/3000"));
            await("a slow request in flight on b").atMost(Duration.ofSeconds(5)).until(() -> b.inFlight() == 1 && a.inFlight() == 1);

            AtomicBoolean loading = new AtomicBoolean(true);
            AtomicInteger sent = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            List<Future<?>> load = new ArrayList<>();
            for (DataPlane dp : List.of(dp1, dp2)) {
                load.add(clients.submit(() -> {
                    // About 50 requests/s per data plane, bounded by the flag and a hard cap.
                    while (loading.get() && sent.get() < 2_000) {
                        sent.incrementAndGet();
                        try {
                            if (dp.proxy().get("/load").statusCode() != 200) {
                                failed.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                        }
                        Thread.sleep(20);
                    }
                    return null;
                }));
            }

            CompletableFuture<HttpResponse<String>> drain = CompletableFuture.supplyAsync(
                    () -> api.postWaiting("/pools/web/backends/b/drain?wait=drained&timeout=60s", "", Duration.ofSeconds(70)), clients);
            await("both data planes have b draining").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> "draining".equals(adminState(dp1, "b")) && "draining".equals(adminState(dp2, "b")));
            long drainingEverywhere = System.nanoTime();

            HttpResponse<String> slowOnB = slow1.get(10, TimeUnit.SECONDS).body().equals("B") ? slow1.get() : slow2.get(10, TimeUnit.SECONDS);
            long slowEnded = System.nanoTime();
            assertThat(slowOnB.statusCode()).isEqualTo(200);
            assertThat(slowOnB.body()).isEqualTo("B");
            assertThat(slow1.get().statusCode()).isEqualTo(200);
            assertThat(slow2.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

            HttpResponse<String> drained = drain.get(30, TimeUnit.SECONDS);
            long drainAnswered = System.nanoTime();
            loading.set(false);
            for (Future<?> f : load) {
                f.get(30, TimeUnit.SECONDS);
            }

            assertThat(drained.statusCode()).as(drained.body()).isEqualTo(200);
            JsonNode state = JSON.readTree(drained.body());
            assertThat(state.path("state").asText()).isEqualTo("drained");
            assertThat(state.path("dataPlanes").asInt()).isEqualTo(2);
            assertThat(state.path("inFlight").asInt()).isZero();
            assertThat(drainAnswered).as("wait=drained answered after the slow request ended").isGreaterThan(slowEnded);
            assertThat(b.arrivalsAfter(drainingEverywhere)).as("requests to b after every data plane had it draining").isZero();
            assertThat(sent.get()).as("load requests sent").isGreaterThan(50);
            assertThat(failed.get()).as("failed load requests").isZero();
        } finally {
            clients.shutdownNow();
        }

        // Reports travel asynchronously (batched each second by every data plane), so the history may trail the drain.
        await("health history of b").atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode events = JSON.readTree(api.get("/health/events?pool=web&backend=b&limit=1000&group=node").body()).path("items");
            for (DataPlane dp : List.of(dp1, dp2)) {
                List<String> reasons = new ArrayList<>();
                events.forEach(e -> {
                    if (e.path("nodeId").asText().equals(dp.nodeId())) {
                        reasons.add(e.path("reason").asText());
                    }
                });
                // The first report is the state at the data plane's first look: "initial", or "healthy" when the
                // first probe passed before that look.
                assertThat(reasons).as("history of b on %s", dp.nodeId()).endsWith("healthy", "draining");
                assertThat(reasons.subList(0, reasons.size() - 2)).as("history of b on %s", dp.nodeId())
                        .allSatisfy(reason -> assertThat(reason).isEqualTo("initial"));
            }
        });
    }

    private static JsonNode backendHealth(Http api, String backend) throws Exception {
        for (JsonNode item : JSON.readTree(api.get("/pools/web/health").body()).path("items")) {
            if (item.path("backend").asText().equals(backend)) {
                return item;
            }
        }
        return JSON.createObjectNode();
    }

    private static String adminState(DataPlane dp, String backend) throws Exception {
        for (JsonNode pool : JSON.readTree(dp.admin().get("/status").body()).path("pools")) {
            for (JsonNode b : pool.path("backends")) {
                if (b.path("name").asText().equals(backend)) {
                    return b.path("adminState").asText();
                }
            }
        }
        return null;
    }

}
