package io.ballast.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback backend whose answers wait until the test releases them (at most {@link #MAX_HOLD_SECONDS}),
 * so requests stay in flight as long as a test needs; {@code /healthz} answers at once.
 */
final class SlowBackend implements AutoCloseable {
    private static final long MAX_HOLD_SECONDS = 25;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger waiting = new AtomicInteger();

    private SlowBackend(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    static SlowBackend start() {
        return new SlowBackend(Ports.free());
    }

    private void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        if (!exchange.getRequestURI().getPath().equals("/healthz")) {
            waiting.incrementAndGet();
            try {
                release.await(MAX_HOLD_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waiting.decrementAndGet();
            }
        }
        byte[] body = "slow".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Requests held right now. */
    int waiting() {
        return waiting.get();
    }

    /** Lets every held and future request finish at once. */
    void release() {
        release.countDown();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }
}
