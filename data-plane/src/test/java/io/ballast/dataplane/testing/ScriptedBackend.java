package io.ballast.dataplane.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP backend whose answers a test changes while it runs: the status of traffic ({@code /}), the status
 * of its health endpoint ({@code /healthz}), or a health endpoint that alternates pass and fail on every probe.
 * Counts traffic (not probes) and remembers when the last traffic request arrived. Thread-safe.
 */
public final class ScriptedBackend {
    private final String name;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger probes = new AtomicInteger();
    private final AtomicLong lastRequestNanos = new AtomicLong();
    private volatile int trafficStatus = 200;
    private volatile int healthStatus = 200;
    private volatile boolean flapping;
    private final HttpServer server;

    private ScriptedBackend(Vertx vertx, String name) throws Exception {
        this.name = name;
        this.server = vertx.createHttpServer().requestHandler(req -> {
            if (req.path().equals("/healthz")) {
                int n = probes.incrementAndGet();
                req.response().setStatusCode(flapping ? (n % 2 == 0 ? 200 : 503) : healthStatus).end("health");
                return;
            }
            requests.incrementAndGet();
            lastRequestNanos.set(System.nanoTime());
            req.response().setStatusCode(trafficStatus).end(name);
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    }

    public static ScriptedBackend start(Vertx vertx, String name) throws Exception {
        return new ScriptedBackend(vertx, name);
    }

    public String name() {
        return name;
    }

    public int port() {
        return server.actualPort();
    }

    public int requests() {
        return requests.get();
    }

    /** {@link System#nanoTime()} of the last traffic request; 0 before any. */
    public long lastRequestNanos() {
        return lastRequestNanos.get();
    }

    public void answerTraffic(int status) {
        trafficStatus = status;
    }

    public void answerHealth(int status) {
        healthStatus = status;
    }

    /** From now on the health endpoint alternates 503, 200, 503 … */
    public void flap() {
        flapping = true;
    }

    /** Closes the listener and every connection, in-flight requests included (like a crash). */
    public void kill() throws Exception {
        server.close().await(10, TimeUnit.SECONDS);
    }
}
