package io.ballast.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on loopback that answers every path with its own name and {@code /healthz}
 * with 200, so a test can see which backend served a request; {@code /slow/<ms>} answers after that long.
 */
final class TestBackend implements AutoCloseable {
    private final String name;
    private final int port;
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final java.util.Queue<Long> arrivals = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private HttpServer server;

    private TestBackend(String name, int port) {
        this.name = name;
        this.port = port;
    }

    static TestBackend start(String name) {
        TestBackend backend = new TestBackend(name, Ports.free());
        backend.start();
        return backend;
    }

    void start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        if (!path.equals("/healthz")) {
            served.incrementAndGet();
            arrivals.add(System.nanoTime());
        }
        if (path.startsWith("/slow/")) {
            // A long request (its executor has threads to spare), e.g. to see a drain wait for it.
            inFlight.incrementAndGet();
            try {
                Thread.sleep(Long.parseLong(path.substring("/slow/".length())));
            } catch (InterruptedException | NumberFormatException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
        }
        byte[] body = name.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** Stops listening at once; connections are refused from now on. */
    void stop() {
        if (server != null) {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
            server = null;
        }
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    int served() {
        return served.get();
    }

    /** Requests being answered now (only {@code /slow/<ms>} ones take long enough to see). */
    int inFlight() {
        return inFlight.get();
    }

    /** Requests (not health checks) that arrived after {@link System#nanoTime()} {@code nanos}. */
    long arrivalsAfter(long nanos) {
        return arrivals.stream().filter(t -> t - nanos > 0).count();
    }

    @Override
    public void close() {
        stop();
    }
}
