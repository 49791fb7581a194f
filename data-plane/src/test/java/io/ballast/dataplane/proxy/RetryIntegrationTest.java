package io.ballast.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.config.ApplyResult;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.testing.MisbehavingBackend;
import io.ballast.dataplane.testing.TestClient;
import io.ballast.model.Backend;
import io.ballast.model.HealthCheck;
import io.ballast.model.OutlierDetection;
import io.ballast.model.Pool;
import io.ballast.model.RetryPolicy;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every value of {@code retries.on} against a real backend that fails that way, through a real data plane: the
 * value retries its failure on the other backend, and a policy without it gives the client the failure (so the
 * test would fail if a value were accepted and ignored). Also the rules around them: idempotency, bodies kept
 * for a replay, nothing retried after the client has a head, the budget, the per-try deadline, and the access
 * log's record of every attempt. Passive health is off here, so a failing backend stays in rotation.
 */
class RetryIntegrationTest {
    /** Checked rarely and never marked down: only the retry logic decides here. */
    private static final HealthCheck STEADY = new HealthCheck("tcp", null, null, null, null, Duration.ofSeconds(60), null, null, 100,
            Duration.ofSeconds(60), "healthy");
    private static final OutlierDetection NO_EJECTION = new OutlierDetection(0, 0, null, null);

    @TempDir
    Path dir;

    private Vertx vertx;
    private MisbehavingBackend bad;
    private MisbehavingBackend good;
    private DataPlane dp;
    private TestClient client;
    private Path logFile;
    private long revision;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        bad = MisbehavingBackend.failing(vertx, "bad");
        good = MisbehavingBackend.healthy(vertx, "good");
        logFile = dir.resolve("access.log");
        DataPlaneSettings settings = DataPlaneSettings.forTesting("retry-test", dir.resolve("cache"));
        dp = DataPlaneFixture.start(settings.withProxy(settings.proxy().withAccessLog(logFile.toString())));
        client = new TestClient(DataPlaneFixture.proxyPort(dp));
    }

    @AfterEach
    void stop() throws Exception {
        dp.close().await(30, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static RetryPolicy on(String... kinds) {
        return new RetryPolicy(2, List.of(kinds), 100, null, null);
    }

    private static RetryPolicy within(Duration perTry, String... kinds) {
        return new RetryPolicy(2, List.of(kinds), 100, perTry, null);
    }

    private void apply(RetryPolicy retries, int... ports) throws Exception {
        List<Backend> backends = new ArrayList<>();
        for (int port : ports) {
            backends.add(Backend.of("127.0.0.1", port));
        }
        Pool pool = new Pool("web", null, null, null, null, STEADY, NO_EJECTION, 0, retries, null, null, null, null, null, backends);
        ApplyResult result = DataPlaneFixture.apply(dp, ++revision, new ConfigSnapshot(List.of(pool), List.of(Route.of("all", "web"))));
        assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    }

    private void apply(RetryPolicy retries) throws Exception {
        apply(retries, bad.port(), good.port());
    }

    /** Sends {@code n} GETs of {@code path}; round robin over [bad, good] makes about half of them try bad first. */
    private List<TestClient.Response> send(int n, HttpMethod method, String path, String body) throws Exception {
        List<TestClient.Response> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(client.send(method, path, Map.of(), body));
        }
        return out;
    }

    private static List<Integer> statuses(List<TestClient.Response> responses) {
        return responses.stream().map(TestClient.Response::status).toList();
    }

    /** The access-log lines of requests that had more than one try, once {@code total} lines are written. */
    private List<JsonArray> triesInLog(int total) throws Exception {
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(logFile) && Files.readAllLines(logFile).size() >= total);
        List<JsonArray> out = new ArrayList<>();
        for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
            JsonArray tries = new JsonObject(line).getJsonArray("tries");
            if (tries != null) {
                out.add(tries);
            }
        }
        return out;
    }

    private static JsonObject tryOf(String backend, String outcome) {
        return new JsonObject().put("backend", backend).put("outcome", outcome);
    }

    private void assertRetried(List<TestClient.Response> responses, int logged, String outcome) throws Exception {
        assertThat(statuses(responses)).containsOnly(200);
        assertThat(responses).allSatisfy(r -> assertThat(r.body()).startsWith("good:"));
        List<JsonArray> tries = triesInLog(logged);
        assertThat(tries).isNotEmpty().allSatisfy(t -> assertThat(t).containsExactly(
                tryOf("127.0.0.1:" + bad.port(), outcome), tryOf("127.0.0.1:" + good.port(), "200")));
        assertThat(dp.metrics().counters().get("retries")).isEqualTo((long) tries.size());
    }

    // --- one test per value: retried with it, not retried without it -------------------------------------------

    @Test
    void connectFailureIsRetriedOnlyWhenNamed() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        apply(on("connect-failure"), closed, good.port());
        List<TestClient.Response> responses = send(4, HttpMethod.GET, "/", null);
        assertThat(statuses(responses)).containsOnly(200);
        List<JsonArray> tries = triesInLog(4);
        assertThat(tries).isNotEmpty().allSatisfy(t -> assertThat(t).containsExactly(
                tryOf("127.0.0.1:" + closed, "connect-failure"), tryOf("127.0.0.1:" + good.port(), "200")));

        apply(within(Duration.ofSeconds(5), "refused-stream", "timeout"), closed, good.port());
        assertThat(statuses(send(4, HttpMethod.GET, "/", null))).contains(502);
    }

    @Test
    void resetIsRetriedOnlyWhenNamed() throws Exception {
        apply(on("reset"));
        assertRetried(send(4, HttpMethod.GET, "/reset", null), 4, "reset");
        assertThat(bad.requests("/reset")).isPositive();

        // A fresh connection that breaks is a reset, not a refused stream.
        apply(on("refused-stream"));
        assertThat(statuses(send(4, HttpMethod.GET, "/reset", null))).contains(502);
    }

    @Test
    void refusedStreamIsAReusedConnectionClosedBeforeAnyAnswerAndIsRetriedOnlyWhenNamed() throws Exception {
        apply(on("refused-stream"));
        int warmUp = warmConnectionToBad();
        List<TestClient.Response> later = send(6, HttpMethod.GET, "/refused", null);
        // bad answers a fresh connection ("first") and refuses on a reused one, which is then retried on good.
        assertThat(statuses(later)).containsOnly(200);
        assertThat(later).allSatisfy(r -> assertThat(r.body()).isIn("first", "good:"));
        List<JsonArray> tries = triesInLog(warmUp + 6);
        assertThat(tries).isNotEmpty().allSatisfy(t -> assertThat(t).containsExactly(
                tryOf("127.0.0.1:" + bad.port(), "refused-stream"), tryOf("127.0.0.1:" + good.port(), "200")));
        assertThat(bad.requests("/refused")).isGreaterThanOrEqualTo(2);

        apply(on("connect-failure"));
        warmConnectionToBad();
        assertThat(statuses(send(4, HttpMethod.GET, "/refused", null))).contains(502);
    }

    /**
     * Sends until bad answered "first" on a connection the proxy now keeps idle for the next request; answers how
     * many requests that took.
     */
    private int warmConnectionToBad() throws Exception {
        for (int i = 1; i <= 4; i++) {
            if (client.get("/refused").body().equals("first")) {
                return i;
            }
        }
        throw new AssertionError("bad never answered first");
    }

    @Test
    void gatewayErrorRetries502To504ButNot500() throws Exception {
        apply(on("gateway-error"));
        assertRetried(send(4, HttpMethod.GET, "/status/503", null), 4, "503");
        List<TestClient.Response> internal = send(4, HttpMethod.GET, "/status/500", null);
        assertThat(statuses(internal)).contains(500);

        apply(on("reset"));
        assertThat(statuses(send(4, HttpMethod.GET, "/status/503", null))).contains(503);
    }

    @Test
    void fiveXxRetriesAnyServerError() throws Exception {
        apply(on("5xx"));
        assertRetried(send(4, HttpMethod.GET, "/status/500", null), 4, "500");

        apply(on("gateway-error"));
        assertThat(statuses(send(4, HttpMethod.GET, "/status/500", null))).contains(500);
    }

    @Test
    void timeoutRetriesATryWithoutAHeadWithinThePerTryTimeout() throws Exception {
        apply(within(Duration.ofMillis(300), "timeout"));
        long start = System.nanoTime();
        assertRetried(send(4, HttpMethod.GET, "/hang", null), 4, "timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

        // Without timeout in on, the per-try deadline still ends the try: 504 long before the 30 s request timeout.
        apply(within(Duration.ofMillis(300), "connect-failure"));
        start = System.nanoTime();
        assertThat(statuses(send(4, HttpMethod.GET, "/hang", null))).contains(504);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    // --- the rules around the values ----------------------------------------------------------------------------

    @Test
    void nonIdempotentMethodsAreRetriedOnlyWhenAllowedAndTheBodyIsSentAgainWhole() throws Exception {
        apply(on("5xx"));
        assertThat(statuses(send(4, HttpMethod.POST, "/status/500", "payload"))).contains(500);

        apply(new RetryPolicy(2, List.of("5xx"), 100, null, true));
        List<TestClient.Response> posts = send(4, HttpMethod.POST, "/status/500", "payload");
        assertThat(statuses(posts)).containsOnly(200);
        assertThat(posts).allSatisfy(r -> assertThat(r.body()).isEqualTo("good:payload"));
    }

    @Test
    void anIdempotentRequestWithABodyIsReplayedWhole() throws Exception {
        apply(on("reset"));
        String body = "x".repeat(20_000);
        List<TestClient.Response> puts = send(4, HttpMethod.PUT, "/reset", body);
        assertThat(statuses(puts)).containsOnly(200);
        assertThat(puts).allSatisfy(r -> assertThat(r.body()).isEqualTo("good:" + body));
    }

    @Test
    void aBodyLongerThanWhatIsKeptIsNotRetried() throws Exception {
        apply(on("reset"));
        String body = "x".repeat(RequestReplay.LIMIT + 1);
        assertThat(statuses(send(4, HttpMethod.PUT, "/reset", body))).contains(502);
    }

    @Test
    void nothingIsRetriedOnceTheClientHasAHead() throws Exception {
        apply(on("reset", "5xx"));
        for (int i = 0; i < 4; i++) {
            try {
                client.get("/midbody");
            } catch (java.io.IOException expected) {
                // the body broke off: what a client must see, not a complete answer
            }
        }
        assertThat(bad.requests("/midbody")).isPositive();
        // Each request went to exactly one backend.
        assertThat(bad.requests("/midbody") + good.requests("/midbody")).isEqualTo(4);
        assertThat(dp.metrics().counters().get("retries")).isZero();
    }

    @Test
    void retriesStayWithinTheBudget() throws Exception {
        // 0 %: only the minimum a window always allows.
        apply(new RetryPolicy(2, List.of("gateway-error"), 0, null, null));
        List<TestClient.Response> responses = send(40, HttpMethod.GET, "/status/503", null);
        long retries = dp.metrics().counters().get("retries");
        assertThat(retries).isEqualTo(io.ballast.dataplane.upstream.RetryBudget.MIN_RETRIES);
        long failed = responses.stream().filter(r -> r.status() == 503).count();
        assertThat(failed).isEqualTo(bad.requests("/status/503") - retries);
    }
}
