package io.ballast.dataplane.config;

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
import io.ballast.dataplane.testing.TestClient;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.validation.Violation;
import io.ballast.wire.v1.Ack;
import io.ballast.wire.v1.Heartbeat;
import io.ballast.wire.v1.Hello;
import io.ballast.wire.v1.Nack;
import io.ballast.wire.v1.Ping;
import io.ballast.wire.v1.SnapshotPush;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data plane against a fake control plane that speaks wire v1 over a real WebSocket. */
class ControlPlaneIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path cacheDir;

    private Vertx vertx;
    private TestBackend a;
    private TestBackend b;
    private FakeControlPlane cp;
    private DataPlane dp;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        a = TestBackend.start(vertx, "a");
        b = TestBackend.start(vertx, "b");
        cp = FakeControlPlane.start(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        if (dp != null) {
            dp.close().await(30, TimeUnit.SECONDS);
        }
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private DataPlaneSettings settings(String cpUrl) {
        return DataPlaneSettings.forTesting("node-1", cacheDir).withControlPlaneUrls(List.of(URI.create(cpUrl)), "dp-secret");
    }

    private ConfigSnapshot webOn(TestBackend backend) {
        return snapshot(List.of(pool("web", backend)), List.of(route("site", "web")));
    }

    /** Connects, pushes revision 5 (backend a) and waits until the proxy serves it. */
    private ConfigSnapshot connectAndApplyRevision5() throws Exception {
        dp = DataPlaneFixture.start(settings(cp.url()));
        Hello hello = cp.next(Hello.class, WAIT);
        assertThat(hello.nodeId()).isEqualTo("node-1");
        assertThat(hello.appliedRevision()).isNull();
        assertThat(hello.health()).as("no config yet, so no backend to report").isEmpty();
        assertThat(cp.authorizations()).containsExactly("Bearer dp-secret");
        ConfigSnapshot config = webOn(a);
        cp.send(push(5, config));
        assertThat(cp.next(Ack.class, WAIT)).isEqualTo(new Ack(5, config.hash()));
        awaitServedBy("a");
        return config;
    }

    private void awaitServedBy(String backend) {
        TestClient client = new TestClient(DataPlaneFixture.proxyPort(dp));
        await().atMost(WAIT).ignoreExceptions().until(() -> client.get("/").body().equals(backend));
    }

    private JsonObject status() throws Exception {
        return new TestClient(dp.adminAddress().port()).get("/status").json();
    }

    @Test
    void aPushedSnapshotIsServedAckedAndCached() throws Exception {
        ConfigSnapshot config = connectAndApplyRevision5();
        JsonObject status = status();
        assertThat(status.getLong("appliedRevision")).isEqualTo(5);
        assertThat(status.getString("appliedHash")).isEqualTo(config.hash());
        assertThat(status.getJsonObject("controlPlane").getBoolean("connected")).isTrue();
        assertThat(status.getJsonObject("controlPlane").getString("url")).isEqualTo("ws://" + cp.url().substring(7) + FakeControlPlane.PATH);
        JsonObject backend = status.getJsonArray("pools").getJsonObject(0).getJsonArray("backends").getJsonObject(0);
        assertThat(backend.getString("name")).isEqualTo("a");
        assertThat(backend.getString("address")).isEqualTo("127.0.0.1:" + a.port());
        assertThat(backend.getString("adminState")).isEqualTo("enabled");
        assertThat(backend.getString("health")).isEqualTo("healthy");
        assertThat(backend.getInteger("inFlight")).isZero();
        assertThat(new SnapshotCache(cacheDir).load().orElseThrow().revision()).isEqualTo(5);
    }

    @Test
    void aNewSnapshotReplacesTheOldOneAndTheSameHashIsAckedWithoutRebuilding() throws Exception {
        ConfigSnapshot first = connectAndApplyRevision5();
        var table = dp.config().current().table();
        cp.send(push(6, first));
        assertThat(cp.next(Ack.class, WAIT)).isEqualTo(new Ack(6, first.hash()));
        assertThat(dp.config().current().table()).isSameAs(table);
        assertThat(dp.config().current().revision()).isEqualTo(6);

        ConfigSnapshot second = webOn(b);
        cp.send(push(7, second));
        assertThat(cp.next(Ack.class, WAIT)).isEqualTo(new Ack(7, second.hash()));
        awaitServedBy("b");
    }

    @Test
    void aSnapshotFarOverTheDefaultWebSocketMessageLimitIsAppliedAndAcked() throws Exception {
        connectAndApplyRevision5();
        ConfigSnapshot big = SnapshotApplierIntegrationTest.manyPools(webOn(a), 400, 10);
        assertThat(io.ballast.wire.v1.WireCodec.encode(push(6, big)).length()).isGreaterThan(2 * 256 * 1024);
        cp.send(push(6, big));
        assertThat(cp.next(Ack.class, WAIT)).isEqualTo(new Ack(6, big.hash()));
        assertThat(dp.config().current().table().pools()).hasSize(401);
        awaitServedBy("a");
    }

    @Test
    void thousandsOfHealthTransitionsAreReportedInBoundedBatches() throws Exception {
        connectAndApplyRevision5();
        // 1 200 backends on closed ports, probed fast: each goes from initial to unhealthy within a second. Heartbeats
        // meanwhile carry at most 100 of their probes, so they stay under the fake's 64 KiB frame limit too.
        List<io.ballast.model.Pool> pools = new java.util.ArrayList<>(webOn(a).pools());
        for (int p = 0; p < 120; p++) {
            List<io.ballast.model.Backend> backends = java.util.stream.IntStream.range(0, 10)
                    .mapToObj(i -> io.ballast.model.Backend.of("127.0.0.1", 20_000 + i).withName("b" + i)).toList();
            pools.add(io.ballast.model.Pool.named("down-" + p).withHealthCheck(io.ballast.dataplane.testing.Configs.FAST_CHECK)
                    .withBackends(backends));
        }
        ConfigSnapshot many = snapshot(pools, webOn(a).routes());
        cp.send(push(6, many));
        assertThat(cp.next(Ack.class, WAIT)).isEqualTo(new Ack(6, many.hash()));
        int reported = 0;
        int largest = 0;
        while (reported < 1_200) {
            io.ballast.wire.v1.HealthReport report = cp.next(io.ballast.wire.v1.HealthReport.class, WAIT);
            largest = Math.max(largest, report.observations().size());
            reported += (int) report.observations().stream().filter(o -> o.pool().startsWith("down-")).count();
        }
        // The fake control plane keeps Vert.x's default 64 KiB frame limit, like an unconfigured server.
        assertThat(largest).isEqualTo(ControlPlaneClient.MAX_OBSERVATIONS_PER_REPORT);
        assertThat(cp.connected()).isTrue();
    }

    @Test
    void anInvalidSnapshotIsNackedAndTheOldConfigKeepsServing() throws Exception {
        connectAndApplyRevision5();
        ConfigSnapshot dangling = snapshot(List.of(pool("web", b)), List.of(new Route("site", null, null, null, "missing", null)));
        cp.send(push(6, dangling));
        Nack nack = cp.next(Nack.class, WAIT);
        assertThat(nack.revision()).isEqualTo(6);
        assertThat(nack.hash()).isEqualTo(dangling.hash());
        assertThat(nack.errors()).extracting(Violation::field).contains("routes[0].pool");

        ConfigSnapshot other = webOn(b);
        cp.send(new SnapshotPush(7, "0".repeat(64), other));
        assertThat(cp.next(Nack.class, WAIT).errors()).extracting(Violation::field).containsExactly("hash");

        assertThat(dp.config().current().revision()).isEqualTo(5);
        TestClient client = new TestClient(DataPlaneFixture.proxyPort(dp));
        for (int i = 0; i < 5; i++) {
            assertThat(client.get("/").body()).isEqualTo("a");
        }
    }

    @Test
    void pingsUnknownTypesAndGarbageAreIgnored() throws Exception {
        connectAndApplyRevision5();
        cp.send(new Ping(System.currentTimeMillis()));
        cp.sendRaw("{\"type\":\"something-from-v1.5\",\"x\":1}");
        cp.sendRaw("not json at all");
        ConfigSnapshot next = webOn(b);
        cp.send(push(6, next));
        assertThat(cp.next(Ack.class, WAIT)).isEqualTo(new Ack(6, next.hash()));
        assertThat(cp.connected()).isTrue();
    }

    @Test
    void heartbeatsCarryTheAppliedRevisionCountersAndLatency() throws Exception {
        ConfigSnapshot config = connectAndApplyRevision5();
        Heartbeat hb = cp.next(Heartbeat.class, Duration.ofSeconds(8));
        assertThat(hb.appliedRevision()).isEqualTo(5);
        assertThat(hb.appliedHash()).isEqualTo(config.hash());
        // Only backends with requests in flight, or being drained, are listed: an idle enabled one is left out.
        assertThat(hb.inFlight()).doesNotContainKey("web/a");
        assertThat(hb.counters()).containsKey("requests");
        assertThat(hb.counters().get("requests")).isPositive();
        // The requests that proved revision 5 served finished before some heartbeat: it carries their percentiles.
        Heartbeat withLatency = hb;
        for (int i = 0; i < 3 && !withLatency.latency().containsKey("web"); i++) {
            withLatency = cp.next(Heartbeat.class, Duration.ofSeconds(8));
        }
        assertThat(withLatency.latency()).containsKeys("web", "web/a");
        // Bytes sent to clients, per pool and per backend that served them (GETs without a body send none in).
        assertThat(withLatency.targets().get("web").bytesOut()).isPositive();
        assertThat(withLatency.targets().get("web/a").bytesOut()).isPositive();
        Heartbeat.Latency pool = withLatency.latency().get("web");
        assertThat(pool.count()).isPositive();
        assertThat(pool.p50Ms()).isPositive().isLessThanOrEqualTo(pool.p99Ms());
        assertThat(pool.p99Ms()).isLessThan(30_000);
        // Nothing was sent since: the next heartbeat has no latency to report for the pool.
        assertThat(cp.next(Heartbeat.class, Duration.ofSeconds(8)).latency()).doesNotContainKey("web");
    }

    @Test
    void heartbeatsCarryOpenConnectionsQueuedRequestsAndTheLatestProbeOfEachBackend() throws Exception {
        dp = DataPlaneFixture.start(settings(cp.url()));
        cp.next(Hello.class, WAIT);
        int nothingListens;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            nothingListens = s.getLocalPort();
        }
        io.ballast.model.Pool web = pool("web", a).toBuilder().maxConnectionsPerBackend(1).maxPendingRequests(10).build();
        web = web.withBackends(List.of(web.backends().get(0), io.ballast.model.Backend.of("127.0.0.1", nothingListens).withName("dead")));
        ConfigSnapshot config = snapshot(List.of(web), List.of(route("site", "web")));
        cp.send(push(5, config));
        assertThat(cp.next(Ack.class, WAIT).revision()).isEqualTo(5);
        awaitServedBy("a");

        // Two slow requests on their own connections: one holds a's only slot, the other waits for it.
        io.vertx.core.http.HttpClient client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions(),
                new io.vertx.core.http.PoolOptions().setHttp1MaxSize(2));
        io.vertx.core.http.RequestOptions slow = new io.vertx.core.http.RequestOptions().setHost("127.0.0.1")
                .setPort(DataPlaneFixture.proxyPort(dp)).setURI("/slow?ms=9000");
        List<io.vertx.core.Future<Integer>> answers = List.of(
                client.request(slow).compose(r -> r.send()).compose(r -> r.body().map(body -> r.statusCode())),
                client.request(slow).compose(r -> r.send()).compose(r -> r.body().map(body -> r.statusCode())));
        try {
            Heartbeat hb = cp.next(Heartbeat.class, Duration.ofSeconds(8));
            for (int i = 0; i < 3 && (hb.queued() == null || hb.queued().getOrDefault("web", 0) == 0); i++) {
                hb = cp.next(Heartbeat.class, Duration.ofSeconds(8));
            }
            assertThat(hb.queued()).containsEntry("web", 1);
            // The connection the first request holds (the one that proved a served, reused); none to a dead port.
            assertThat(hb.connections()).containsEntry("web/a", 1).doesNotContainKey("web/dead");
            assertThat(hb.probes()).containsKeys("web/a", "web/dead");
            Heartbeat.Probe okA = hb.probes().get("web/a");
            assertThat(okA.passed()).isTrue();
            assertThat(okA.status()).isEqualTo(200);
            assertThat(okA.failure()).isNull();
            Heartbeat.Probe refused = hb.probes().get("web/dead");
            assertThat(refused.passed()).isFalse();
            assertThat(refused.status()).isNull();
            assertThat(refused.failure()).isEqualTo("ConnectionRefused");
            assertThat(okA.at()).isBetween(System.currentTimeMillis() - 6_000, System.currentTimeMillis());
            // Checks run every 150 ms: the next heartbeat brings a newer probe, never the same one again.
            Heartbeat later = cp.next(Heartbeat.class, Duration.ofSeconds(8));
            assertThat(later.probes().get("web/a").at()).isGreaterThan(okA.at());
            assertThat(io.vertx.core.Future.all(answers).await(20, TimeUnit.SECONDS).<Integer>list()).containsExactly(200, 200);
        } finally {
            client.close();
        }
        // Both answered: nothing waits any more, and a's connection stays open, idle, for the next request.
        Heartbeat after = cp.next(Heartbeat.class, Duration.ofSeconds(8));
        assertThat(after.queued()).isNotNull().doesNotContainKey("web");
        assertThat(after.connections()).containsEntry("web/a", 1);
    }

    @Test
    void aDrainReportSaysHowManyRequestsWereInFlightSoAnIdleBackendIsConfirmedWithoutAHeartbeat() throws Exception {
        connectAndApplyRevision5();
        io.ballast.model.Pool both = pool("web", a, b);
        ConfigSnapshot draining = snapshot(List.of(both.withBackends(List.of(both.backends().get(0)
                .withAdminState(io.ballast.model.AdminState.DRAINING), both.backends().get(1)))), List.of(route("site", "web")));
        cp.send(push(6, draining));
        assertThat(cp.next(Ack.class, WAIT)).isEqualTo(new Ack(6, draining.hash()));
        long acked = System.nanoTime();
        io.ballast.wire.v1.HealthReport.Observation drain = null;
        while (drain == null) {
            drain = cp.next(io.ballast.wire.v1.HealthReport.class, WAIT).observations().stream()
                    .filter(o -> o.backend().equals("a") && o.state().equals("draining")).findFirst().orElse(null);
        }
        assertThat(drain.inFlight()).isZero();
        // The flush runs every second, heartbeats every 5 s: the count comes with the report, not after it.
        assertThat(Duration.ofNanos(System.nanoTime() - acked)).isLessThan(Duration.ofMillis(ControlPlaneClient.HEARTBEAT_MILLIS - 1_000));
    }

    @Test
    void itReconnectsAndSaysWhatItRuns() throws Exception {
        ConfigSnapshot config = connectAndApplyRevision5();
        cp.stop();
        await().atMost(WAIT).until(() -> !status().getJsonObject("controlPlane").getBoolean("connected"));
        // Traffic does not depend on the control plane.
        assertThat(new TestClient(DataPlaneFixture.proxyPort(dp)).get("/").body()).isEqualTo("a");
        cp.restart();
        Hello hello = cp.next(Hello.class, Duration.ofSeconds(20));
        assertThat(hello.appliedRevision()).isEqualTo(5);
        assertThat(hello.appliedHash()).isEqualTo(config.hash());
        // The full current health rides in the hello (the control plane replaces what it stored with it).
        assertThat(hello.health()).singleElement().satisfies(o -> {
            assertThat(o.pool()).isEqualTo("web");
            assertThat(o.backend()).isEqualTo("a");
            assertThat(o.state()).isEqualTo("healthy");
            assertThat(o.at()).isPositive();
        });
    }

    @Test
    void aRestartWithNoControlPlaneReachableServesTheCache() throws Exception {
        connectAndApplyRevision5();
        dp.close().await(30, TimeUnit.SECONDS);
        cp.stop();
        dp = DataPlaneFixture.start(settings(cp.url()));
        // Ready at once: the cache is applied before the proxy listens.
        assertThat(new TestClient(dp.adminAddress().port()).get("/ready").status()).isEqualTo(200);
        assertThat(dp.config().current().source()).isEqualTo("cache");
        assertThat(dp.config().current().revision()).isEqualTo(5);
        awaitServedBy("a");
        assertThat(status().getJsonObject("controlPlane").getBoolean("connected")).isFalse();
    }

    @Test
    void aCorruptedCacheIsRefusedAndTheNodeIsNotReady() throws Exception {
        Files.createDirectories(cacheDir);
        Files.writeString(cacheDir.resolve("snapshot.json"), "{\"format\":1,\"revision\":3,\"hash\":\"x\"");
        dp = DataPlaneFixture.start(settings("http://127.0.0.1:1"));
        TestClient admin = new TestClient(dp.adminAddress().port());
        assertThat(admin.get("/live").status()).isEqualTo(200);
        assertThat(admin.get("/ready").status()).isEqualTo(503);
        assertThat(new TestClient(DataPlaneFixture.proxyPort(dp)).get("/").status()).isEqualTo(503);
    }

    @Test
    void aCacheWriteFailureIsReportedInTheAckStatusAndMetricsAndLeavesNoTmpFile() throws Exception {
        connectAndApplyRevision5();
        // Root ignores file modes, so the failure is made the way a full disk makes it: after the temporary file
        // is written, the rename over the cache file fails (a non-empty directory stands where the file was).
        Path cacheFile = cacheDir.resolve(SnapshotCache.FILE_NAME);
        java.nio.file.Files.delete(cacheFile);
        java.nio.file.Files.createDirectories(cacheFile.resolve("blocker"));
        ConfigSnapshot next = webOn(b);
        cp.send(push(6, next));
        Ack ack = cp.next(Ack.class, WAIT);
        assertThat(ack.revision()).isEqualTo(6);
        assertThat(ack.warnings()).singleElement().asString().startsWith("cache-write-failed: ");
        awaitServedBy("b");
        assertThat(cacheDir.resolve(SnapshotCache.FILE_NAME + ".tmp")).doesNotExist();
        JsonObject cache = status().getJsonObject("cache");
        assertThat(cache.getBoolean("ok")).isFalse();
        assertThat(cache.getString("error")).contains("snapshot.json");
        assertThat(cache.getLong("failures")).isEqualTo(1);
        String metrics = new TestClient(dp.adminAddress().port()).get("/metrics").body();
        assertThat(metrics).contains("ballast_snapshot_cache_write_failures_total 1\n").contains("ballast_snapshot_cache_ok 0\n");

        // Once the disk is fixed the next snapshot is cached again and the warning is gone.
        java.nio.file.Files.delete(cacheFile.resolve("blocker"));
        java.nio.file.Files.delete(cacheFile);
        ConfigSnapshot again = webOn(a);
        cp.send(push(7, again));
        assertThat(cp.next(Ack.class, WAIT)).isEqualTo(new Ack(7, again.hash()));
        assertThat(status().getJsonObject("cache").getBoolean("ok")).isTrue();
        assertThat(new SnapshotCache(cacheDir).load()).map(io.ballast.dataplane.config.CachedSnapshot::revision).contains(7L);
    }
}
