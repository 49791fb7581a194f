package io.ballast.dataplane.lifecycle;

import static io.ballast.dataplane.testing.Configs.pool;
import static io.ballast.dataplane.testing.Configs.route;
import static io.ballast.dataplane.testing.Configs.snapshot;
import static io.ballast.dataplane.testing.DataPlaneFixture.apply;
import static io.ballast.dataplane.testing.DataPlaneFixture.health;
import static io.ballast.dataplane.testing.DataPlaneFixture.proxyPort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.config.ApplyResult;
import io.ballast.dataplane.health.HealthState;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.testing.TestBackend;
import io.ballast.dataplane.testing.TestClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drain sequence seen from the client side, through real sockets only (so it pins the semantics whatever engine
 * serves the port): {@code POST /drain} turns {@code /ready} to 503 at once; during the drain delay new
 * connections are still served and every HTTP/1.1 answer says {@code Connection: close}; after it new connections
 * are refused, an idle keep-alive connection is closed, an HTTP/2 connection gets GOAWAY, a slow request in flight
 * still gets its whole answer (with {@code Connection: close}, then the close), and the node then stops.
 */
class DrainIntegrationTest {
    private static final Duration DELAY = Duration.ofMillis(1500);
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final int GOAWAY = 7;

    @TempDir
    Path cacheDir;

    private Vertx backends;
    private DataPlane dp;

    @BeforeEach
    void start() throws Exception {
        backends = Vertx.vertx();
        TestBackend a = TestBackend.start(backends, "a");
        DataPlaneSettings settings = DataPlaneSettings.forTesting("drain-test", cacheDir);
        dp = DataPlaneFixture.start(settings.withProxy(settings.proxy().withDrain(DELAY, GRACE)));
        assertThat(apply(dp, 1, snapshot(List.of(pool("web", a)), List.of(route("site", "web")))))
                .isInstanceOf(ApplyResult.Applied.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> health(dp, "web", "a") == HealthState.HEALTHY);
    }

    @AfterEach
    void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
        backends.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void drainTurnsReadyDownServesForTheDelayThenStopsAcceptingClosesConnectionsAndLetsInFlightFinish() throws Exception {
        int port = proxyPort(dp);
        TestClient admin = new TestClient(dp.adminAddress().port());
        assertThat(admin.get("/ready").status()).isEqualTo(200);

        try (RawHttp idle = new RawHttp(port); RawHttp busy = new RawHttp(port); RawHttp reused = new RawHttp(port);
             RawHttp h2 = new RawHttp(port)) {
            for (RawHttp c : List.of(idle, busy, reused)) {
                RawHttp.Answer before = c.exchange("/before");
                assertThat(before.status()).isEqualTo(200);
                assertThat(before.closes()).as("keep-alive before the drain").isFalse();
            }
            h2.startHttp2();

            // In flight across the whole drain delay: answered only after accepting stopped.
            busy.get("/slow?ms=" + (DELAY.toMillis() + 1500));
            long began = System.nanoTime();
            assertThat(admin.send(HttpMethod.POST, "/drain", Map.of(), "").status()).isEqualTo(202);
            assertThat(admin.get("/ready").status()).as("/ready at once").isEqualTo(503);
            assertThat(admin.get("/status").json().getString("drain")).isEqualTo("draining");
            assertThat(admin.get("/live").status()).isEqualTo(200);

            // The drain delay: still accepting and serving, each HTTP/1.1 answer the last on its connection.
            try (RawHttp fresh = new RawHttp(port)) {
                RawHttp.Answer during = fresh.exchange("/during");
                assertThat(during.status()).isEqualTo(200);
                assertThat(during.body()).isEqualTo("a");
                assertThat(during.closes()).isTrue();
                assertThat(fresh.closedWithin(2000)).as("the proxy closes after a Connection: close answer").isTrue();
            }
            RawHttp.Answer onReused = reused.exchange("/during-reused");
            assertThat(onReused.status()).isEqualTo(200);
            assertThat(onReused.closes()).isTrue();
            assertThat(reused.closedWithin(2000)).isTrue();
            assertThat(elapsedMillis(began)).as("all of that within the delay").isLessThan(DELAY.toMillis());

            // After the delay: no new connection is accepted.
            long refusedAt = await("new connections refused").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> refused(port) ? elapsedMillis(began) : -1, t -> t >= 0);
            assertThat(refusedAt).as("refused only after the drain delay").isGreaterThanOrEqualTo(DELAY.toMillis() - 100);

            assertThat(h2.awaitFrame(GOAWAY)).as("HTTP/2 connection gets GOAWAY").isTrue();
            assertThat(idle.closedWithin(3000)).as("idle keep-alive connection closed").isTrue();

            RawHttp.Answer slow = busy.read();
            assertThat(slow.status()).as("in-flight request finishes").isEqualTo(200);
            assertThat(slow.body()).isEqualTo("a");
            assertThat(slow.closes()).as("the busy connection's next answer closes it").isTrue();
            assertThat(busy.closedWithin(3000)).isTrue();
        }
        // Then the node stops: the admin port goes too.
        dp.drainer().finished().await(GRACE.toMillis() + 5000, TimeUnit.MILLISECONDS);
        assertThat(refused(dp.adminAddress().port())).isTrue();
    }

    @Test
    void aSecondDrainRequestJoinsTheFirstAndOnlyPostStartsOne() throws Exception {
        TestClient admin = new TestClient(dp.adminAddress().port());
        assertThat(admin.get("/drain").status()).isEqualTo(405);
        assertThat(admin.get("/ready").status()).as("a GET does not drain").isEqualTo(200);
        long began = System.nanoTime();
        assertThat(admin.send(HttpMethod.POST, "/drain", Map.of(), "").status()).isEqualTo(202);
        assertThat(admin.send(HttpMethod.POST, "/drain", Map.of(), "").status()).isEqualTo(202);
        dp.drainer().finished().await(GRACE.toMillis() + 5000, TimeUnit.MILLISECONDS);
        // One sequence: it ended one delay after the first request, not two.
        assertThat(elapsedMillis(began)).isBetween(DELAY.toMillis() - 100, 2 * DELAY.toMillis() - 200);
    }

    private static long elapsedMillis(long sinceNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
    }

    private static boolean refused(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
