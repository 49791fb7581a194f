package io.ballast.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.config.ApplyResult;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.dataplane.testing.GrpcBackend;
import io.ballast.dataplane.testing.RefusingHttp2Backend;
import io.ballast.model.Backend;
import io.ballast.model.HealthCheck;
import io.ballast.model.OutlierDetection;
import io.ballast.model.Pool;
import io.ballast.model.RetryPolicy;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC through the proxy to real grpc-java servers, over pools with {@code protocol: h2c}: unary and
 * server-streaming calls, error statuses (trailers-only and after messages) relayed to an HTTP/2 client and, as
 * chunked trailers, to an HTTP/1.1 one, requests multiplexed over few connections within the backend's
 * {@code SETTINGS_MAX_CONCURRENT_STREAMS}, and REFUSED_STREAM retried only when {@code retries.on} names
 * {@code refused-stream}.
 */
class GrpcProxyIntegrationTest {
    /** Probed rarely and healthy from the start: only the proxying is under test here. */
    private static final HealthCheck STEADY = new HealthCheck("tcp", null, null, null, null, Duration.ofSeconds(60), null, null, 100,
            Duration.ofSeconds(60), "healthy");
    private static final OutlierDetection NO_EJECTION = new OutlierDetection(0, 0, null, null);

    @TempDir
    Path dir;

    private DataPlane dp;
    private ManagedChannel channel;
    private final List<AutoCloseable> backends = new ArrayList<>();
    private Path logFile;
    private long revision;

    @BeforeEach
    void start() throws Exception {
        logFile = dir.resolve("access.log");
        DataPlaneSettings settings = DataPlaneSettings.forTesting("grpc-test", dir.resolve("cache"));
        dp = DataPlaneFixture.start(settings.withProxy(settings.proxy().withAccessLog(logFile.toString())));
        channel = GrpcBackend.channel(DataPlaneFixture.proxyPort(dp));
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        dp.close().await(30, TimeUnit.SECONDS);
        for (AutoCloseable b : backends) {
            b.close();
        }
    }

    private <T extends AutoCloseable> T backend(T b) {
        backends.add(b);
        return b;
    }

    private void apply(String protocol, RetryPolicy retries, int... ports) throws Exception {
        List<Backend> list = new ArrayList<>();
        for (int port : ports) {
            list.add(Backend.of("127.0.0.1", port));
        }
        Pool pool = Pool.builder("grpc").healthCheck(STEADY).outlierDetection(NO_EJECTION).panicThresholdPercent(0)
                .retries(retries).backends(list).protocol(protocol).build();
        ApplyResult result = DataPlaneFixture.apply(dp, ++revision, new ConfigSnapshot(List.of(pool), List.of(Route.of("all", "grpc"))));
        assertThat(result).isInstanceOf(ApplyResult.Applied.class);
    }

    @Test
    void aUnaryCallIsProxiedToARealGrpcServer() throws Exception {
        GrpcBackend b = backend(GrpcBackend.start("b1"));
        apply("h2c", null, b.port());
        assertThat(GrpcBackend.unary(channel, GrpcBackend.UNARY, "hello")).isEqualTo("b1:hello");
        assertThat(GrpcBackend.unary(channel, GrpcBackend.UNARY, "again")).isEqualTo("b1:again");
    }

    @Test
    void aServerStreamingCallGetsEveryMessage() throws Exception {
        GrpcBackend b = backend(GrpcBackend.start("b1"));
        apply("h2c", null, b.port());
        assertThat(GrpcBackend.stream(channel, GrpcBackend.STREAM, "5")).containsExactly("b1:0", "b1:1", "b1:2", "b1:3", "b1:4");
    }

    @Test
    void errorStatusesReachTheClientTrailersOnlyOrAfterMessages() throws Exception {
        GrpcBackend b = backend(GrpcBackend.start("b1"));
        apply("h2c", null, b.port());
        assertThatThrownBy(() -> GrpcBackend.unary(channel, GrpcBackend.FAIL, "no such thing"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).isEqualTo("no such thing");
                });
        List<String> seen = new ArrayList<>();
        assertThatThrownBy(() -> {
            java.util.Iterator<byte[]> it = io.grpc.stub.ClientCalls.blockingServerStreamingCall(channel, GrpcBackend.STREAM_THEN_FAIL,
                    io.grpc.CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), new byte[0]);
            while (it.hasNext()) {
                seen.add(GrpcBackend.text(it.next()));
            }
        }).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(e.getStatus().getDescription()).isEqualTo("quota spent");
        });
        assertThat(seen).containsExactly("one", "two");
    }

    @Test
    void anHttp1ClientGetsTheGrpcStatusAsChunkedTrailers() throws Exception {
        GrpcBackend b = backend(GrpcBackend.start("b1"));
        apply("h2c", null, b.port());
        byte[] message = GrpcBackend.bytes("gone");
        byte[] frame = new byte[5 + message.length];
        frame[4] = (byte) message.length;
        System.arraycopy(message, 0, frame, 5, message.length);
        try (Socket s = new Socket("127.0.0.1", DataPlaneFixture.proxyPort(dp))) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /test.Echo/Fail HTTP/1.1\r\nHost: grpc.test\r\nContent-Type: application/grpc\r\nTE: trailers\r\n"
                    + "Content-Length: " + frame.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(frame);
            out.flush();
            String response = readAll(s.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
            String afterLastChunk = response.substring(response.indexOf("\r\n0\r\n") + 5);
            assertThat(afterLastChunk).containsIgnoringCase("grpc-status: 5").containsIgnoringCase("grpc-message: gone");
        }
    }

    @Test
    void requestsShareConnectionsUpToTheBackendsStreamLimit() throws Exception {
        GrpcBackend b = backend(GrpcBackend.withMaxConcurrentStreams("b1", 2));
        apply("h2c", null, b.port());
        // One client connection, so one event loop of the proxy: 6 held calls at 2 streams each need 3 connections.
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> GrpcBackend.unary(channel, GrpcBackend.HOLD, "x"), pool));
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> b.held() == 6);
            assertThat(b.connections()).isEqualTo(3);
            assertThat(dp.metrics().http2BackendConnections()).isEqualTo(3);
            b.release();
            for (CompletableFuture<String> c : calls) {
                assertThat(c.get(20, TimeUnit.SECONDS)).isEqualTo("b1:held");
            }
        } finally {
            pool.shutdownNow();
        }
        // Afterwards the same connections carry the next requests.
        for (int i = 0; i < 20; i++) {
            assertThat(GrpcBackend.unary(channel, GrpcBackend.UNARY, "n" + i)).isEqualTo("b1:n" + i);
        }
        assertThat(b.connections()).isEqualTo(3);
    }

    @Test
    void manyConcurrentCallsGoOverOneConnectionWhenTheBackendAllowsThem() throws Exception {
        GrpcBackend b = backend(GrpcBackend.start("b1"));
        apply("h2c", null, b.port());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String n = Integer.toString(i);
                calls.add(CompletableFuture.supplyAsync(() -> GrpcBackend.unary(channel, GrpcBackend.UNARY, n), pool));
            }
            for (int i = 0; i < calls.size(); i++) {
                assertThat(calls.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("b1:" + i);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(b.calls()).isEqualTo(200);
        assertThat(b.connections()).isEqualTo(1);
        assertThat(dp.metrics().http2BackendConnections()).isEqualTo(1);
    }

    @Test
    void aRefusedStreamIsRetriedOnAnotherBackendWhenRetriesOnNamesIt() throws Exception {
        RefusingHttp2Backend refusing = backend(new RefusingHttp2Backend());
        GrpcBackend good = backend(GrpcBackend.start("good"));
        // gRPC calls are POSTs: nonIdempotent lets them be retried at all.
        apply("h2c", new RetryPolicy(2, List.of("refused-stream"), 100, null, true), refusing.port(), good.port());
        for (int i = 0; i < 6; i++) {
            assertThat(GrpcBackend.unary(channel, GrpcBackend.UNARY, "r" + i)).isEqualTo("good:r" + i);
        }
        assertThat(refusing.refused()).isGreaterThanOrEqualTo(2);
        List<JsonArray> tries = triesInLog(6);
        assertThat(tries).isNotEmpty().allSatisfy(t -> assertThat(t).containsExactly(
                new JsonObject().put("backend", "127.0.0.1:" + refusing.port()).put("outcome", "refused-stream"),
                new JsonObject().put("backend", "127.0.0.1:" + good.port()).put("outcome", "200")));
    }

    @Test
    void aRefusedStreamIsNotRetriedWhenRetriesOnLeavesItOut() throws Exception {
        RefusingHttp2Backend refusing = backend(new RefusingHttp2Backend());
        GrpcBackend good = backend(GrpcBackend.start("good"));
        apply("h2c", new RetryPolicy(2, List.of("connect-failure"), 100, null, true), refusing.port(), good.port());
        int failed = 0;
        for (int i = 0; i < 6; i++) {
            try {
                assertThat(GrpcBackend.unary(channel, GrpcBackend.UNARY, "r" + i)).isEqualTo("good:r" + i);
            } catch (StatusRuntimeException e) {
                // The proxy's own 502 reaches a gRPC client as UNAVAILABLE (gRPC's mapping of HTTP 502).
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                failed++;
            }
        }
        assertThat(failed).isEqualTo(refusing.refused()).isGreaterThanOrEqualTo(2);
    }

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

    private static String readAll(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
