package io.ballast.dataplane.proxy;

import static io.ballast.dataplane.testing.DataPlaneFixture.apply;
import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.model.Backend;
import io.ballast.model.HealthCheck;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** maxConnectionsPerBackend and maxPendingRequests: requests over the limit wait, past the queue they get 503. */
class ConnectionLimitIntegrationTest {
    @TempDir
    Path cacheDir;

    private Vertx vertx;
    private HttpServer backend;
    private DataPlane dp;
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        // Holds every request 500 ms and records how many it held at once.
        backend = vertx.createHttpServer().requestHandler(req -> {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            vertx.setTimer(500, id -> {
                concurrent.decrementAndGet();
                req.response().end("ok");
            });
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        dp = DataPlaneFixture.start(DataPlaneSettings.forTesting("limit-test", cacheDir));
    }

    @AfterEach
    void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private void applyLimits(int maxConnections, int maxPending) throws Exception {
        HealthCheck tcp = new HealthCheck("tcp", null, null, null, null, Duration.ofSeconds(30), null, null, null, null, "healthy");
        Pool p = Pool.named("limited").withHealthCheck(tcp).withBackends(List.of(Backend.of("127.0.0.1", backend.actualPort())));
        Pool limited = p.toBuilder().maxConnectionsPerBackend(maxConnections).maxPendingRequests(maxPending).build();
        apply(dp, 1, new ConfigSnapshot(List.of(limited), List.of(Route.of("all", "limited"))));
    }

    /** Sends {@code n} requests at once on separate connections; the statuses and bodies in completion order. */
    private List<String> burst(int n) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(n));
        RequestOptions get = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
                .setPort(DataPlaneFixture.proxyPort(dp)).setURI("/");
        List<String> done = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(client.request(get).compose(r -> r.send()).compose(r -> r.body().map(b -> r.statusCode() + " " + b))
                    .onSuccess(done::add));
        }
        Future.all(all).await(20, TimeUnit.SECONDS);
        client.close();
        return done;
    }

    @Test
    void overTheLimitRequestsWaitAndPastTheQueueGet503Overloaded() throws Exception {
        applyLimits(1, 1);
        List<String> answers = burst(3);
        assertThat(answers).hasSize(3);
        // The refusal is immediate, so it completes first; the queued request was served after the first.
        assertThat(answers.get(0)).startsWith("503 ").contains("overloaded");
        assertThat(answers.subList(1, 3)).containsExactly("200 ok", "200 ok");
        assertThat(maxConcurrent.get()).isEqualTo(1);
    }

    @Test
    void withoutALimitRequestsRunConcurrently() throws Exception {
        applyLimits(1000, 0);
        assertThat(burst(3)).containsExactly("200 ok", "200 ok", "200 ok");
        assertThat(maxConcurrent.get()).isEqualTo(3);
    }
}
