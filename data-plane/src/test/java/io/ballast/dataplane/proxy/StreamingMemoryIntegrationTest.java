package io.ballast.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.dataplane.config.SnapshotCache;
import io.ballast.model.Backend;
import io.ballast.model.HealthCheck;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies are streamed with back-pressure, never buffered: a data plane in a child JVM with a 64 MiB heap carries
 * a 256 MiB upload and a 256 MiB download. Buffering either would end in an OutOfMemoryError.
 */
class StreamingMemoryIntegrationTest {
    private static final long SIZE = 256L * 1024 * 1024;
    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path dir;

    private Vertx vertx;
    private HttpServer backend;
    private Process dataPlane;
    private int proxyPort;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        backend = vertx.createHttpServer().requestHandler(req -> {
            if (req.path().equals("/upload")) {
                long[] received = {0};
                req.handler(b -> received[0] += b.length());
                req.endHandler(v -> req.response().end(Long.toString(received[0])));
            } else {
                download(req.response(), SIZE);
            }
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);

        HealthCheck tcp = new HealthCheck("tcp", null, null, null, null, Duration.ofSeconds(30), null, null, null, null, "healthy");
        Pool pool = Pool.named("big").withHealthCheck(tcp).withBackends(List.of(Backend.of("127.0.0.1", backend.actualPort())));
        ConfigSnapshot config = new ConfigSnapshot(List.of(pool), List.of(Route.of("all", "big")));
        new SnapshotCache(dir.resolve("cache")).write(1, config.hash(), config);

        proxyPort = freePort();
        File log = dir.resolve("dp.log").toFile();
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBin, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                "io.ballast.dataplane.DataPlaneMain"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
        pb.environment().keySet().removeIf(k -> k.startsWith("BALLAST_"));
        pb.environment().put("BALLAST_CP_URLS", "http://127.0.0.1:1");
        pb.environment().put("BALLAST_NODE_ID", "streaming");
        pb.environment().put("BALLAST_LISTEN", "127.0.0.1:" + proxyPort);
        pb.environment().put("BALLAST_ADMIN_LISTEN", "127.0.0.1:" + freePort());
        pb.environment().put("BALLAST_CACHE_DIR", dir.resolve("cache").toString());
        pb.environment().put("BALLAST_ACCESS_LOG", "off");
        pb.environment().put("BALLAST_EVENT_LOOPS", "1");
        dataPlane = pb.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log.toPath()).contains("Ballast data plane listening"));
    }

    @AfterEach
    void stop() throws Exception {
        if (dataPlane != null) {
            dataPlane.destroy();
            dataPlane.waitFor(30, TimeUnit.SECONDS);
            dataPlane.destroyForcibly();
        }
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void a256MiBUploadAndDownloadPassThroughA64MiBHeap() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxyPort)) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: big.test\r\nContent-Length: " + SIZE + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[CHUNK];
            for (long sent = 0; sent < SIZE; sent += CHUNK) {
                out.write(chunk);
            }
            out.flush();
            String answer = new String(readResponse(s.getInputStream(), false).body, StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo(Long.toString(SIZE));

            out.write("GET /download HTTP/1.1\r\nHost: big.test\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readResponse(s.getInputStream(), true).length).isEqualTo(SIZE);
        }
        assertThat(dataPlane.isAlive()).as("the data plane survived (no OutOfMemoryError)").isTrue();
    }

    /** Streams {@code remaining} bytes, writing only while the connection's queue has room. */
    private static void download(HttpServerResponse response, long size) {
        response.putHeader("Content-Length", Long.toString(size));
        Buffer chunk = Buffer.buffer(new byte[CHUNK]);
        long[] remaining = {size};
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            while (remaining[0] > 0 && !response.writeQueueFull()) {
                int n = (int) Math.min(CHUNK, remaining[0]);
                response.write(n == CHUNK ? chunk : chunk.slice(0, n));
                remaining[0] -= n;
            }
            if (remaining[0] == 0) {
                response.end();
            } else {
                response.drainHandler(v -> pump[0].run());
            }
        };
        pump[0].run();
    }

    private record Received(long length, byte[] body) {
    }

    /** Reads one Content-Length response; keeps the body only when small, counts it otherwise. */
    private static Received readResponse(InputStream in, boolean countOnly) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            assertThat(c).as("response head").isNotNegative();
            head.append((char) c);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 200");
        long length = Long.parseLong(head.toString().replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
        if (!countOnly) {
            return new Received(length, in.readNBytes((int) length));
        }
        byte[] buf = new byte[CHUNK];
        long got = 0;
        while (got < length) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, length - got));
            if (n < 0) {
                break;
            }
            got += n;
        }
        return new Received(got, null);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
