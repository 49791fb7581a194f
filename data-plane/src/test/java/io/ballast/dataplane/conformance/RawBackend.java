package io.ballast.dataplane.conformance;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.settings.DataPlaneSettings;
import io.ballast.dataplane.testing.DataPlaneFixture;
import io.ballast.model.Backend;
import io.ballast.model.HealthCheck;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A scripted backend on a raw socket: records exactly the bytes each connection sent (until a short quiet
 * period) and answers with the scripted bytes, then closes. Lets a test assert what a proxy really forwarded,
 * including what an HTTP library would normalise away.
 */
final class RawBackend implements AutoCloseable {
    static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final AtomicReference<byte[]> answer = new AtomicReference<>(OK);
    private final Thread acceptor;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private volatile int quietMillis = 300;

    RawBackend() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "raw-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    void answer(byte[] bytes) {
        answer.set(bytes);
    }

    void answer(String text) {
        answer(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * A data plane (one event loop, the given head timeout) whose only route goes to this backend, treated as
     * healthy from the start.
     */
    DataPlane startProxy(Path dir, String nodeId, Duration headTimeout) throws Exception {
        DataPlaneSettings settings = DataPlaneSettings.forTesting(nodeId, dir.resolve("cache"));
        settings = settings.withProxy(settings.proxy().withLimits(1000, headTimeout));
        DataPlane dp = DataPlaneFixture.start(settings);
        HealthCheck tcpHealthy = new HealthCheck("tcp", null, null, null, null, Duration.ofSeconds(30), null, null, null, null, "healthy");
        Pool pool = Pool.named("raw").withHealthCheck(tcpHealthy).withBackends(List.of(Backend.of("127.0.0.1", port())));
        DataPlaneFixture.apply(dp, 1, new ConfigSnapshot(List.of(pool), List.of(Route.of("all", "raw"))));
        return dp;
    }

    /** What the next connection sent, or null if none arrived within {@code millis}. */
    String nextRequest(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** How long a connection must be silent before its request counts as complete. */
    void quietMillis(int millis) {
        quietMillis = millis;
    }

    /** Connections accepted since the start. */
    int accepted() {
        return accepted.get();
    }

    void forget() {
        received.clear();
    }

    /**
     * Everything every connection sent since {@link #forget}, in arrival order, once each connection accepted so far
     * has been read to its end (at least {@code settleMillis} after the call, so a connection still being made is
     * counted; at most {@code maxMillis}). Reading every connection, not just the first, is what catches a request
     * smuggled onto a second backend connection.
     */
    List<String> allRequests(long settleMillis, long maxMillis) throws InterruptedException {
        long start = System.nanoTime();
        Thread.sleep(settleMillis);
        while (accepted.get() != finished.get() && System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(maxMillis)) {
            Thread.sleep(10);
        }
        List<String> all = new ArrayList<>();
        received.drainTo(all);
        return all;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "raw-backend-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try {
            serveOne(s);
        } finally {
            finished.incrementAndGet();
        }
    }

    private void serveOne(Socket s) {
        try (s) {
            s.setSoTimeout(quietMillis);
            // Read until the peer is quiet (300 ms by default): enough for loopback, and it catches smuggled trailing bytes.
            String got = RawClient.readAll(s.getInputStream());
            if (got.isEmpty()) {
                return;
            }
            received.add(got);
            s.getOutputStream().write(answer.get());
            s.getOutputStream().flush();
        } catch (IOException e) {
            // the proxy hung up: nothing to record
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
