package io.ballast.dataplane.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Vert.x backend that fails on purpose, chosen by path: {@code /reset} closes the connection on
 * receiving the request, {@code /refused} answers the first request of each connection ({@code first}) and
 * closes on any later one before a byte of answer, {@code /status/N} answers N, {@code /hang} never answers,
 * {@code /midbody} sends a head and part of a body and then closes. A {@code healthy} one answers every path
 * with its name and the request body ({@code name:body}). {@code /healthz} always answers 200. Counts traffic
 * per path. Thread-safe.
 */
public final class MisbehavingBackend {
    private final String name;
    private final boolean healthy;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Set<HttpConnection> seen = ConcurrentHashMap.newKeySet();
    private final HttpServer server;

    private MisbehavingBackend(Vertx vertx, String name, boolean healthy) throws Exception {
        this.name = name;
        this.healthy = healthy;
        this.server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    }

    /** Answers everything with {@code name:body}. */
    public static MisbehavingBackend healthy(Vertx vertx, String name) throws Exception {
        return new MisbehavingBackend(vertx, name, true);
    }

    /** Misbehaves as its paths say. */
    public static MisbehavingBackend failing(Vertx vertx, String name) throws Exception {
        return new MisbehavingBackend(vertx, name, false);
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        if (path.equals("/healthz")) {
            req.response().end("ok");
            return;
        }
        requests.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
        if (healthy) {
            req.body().onSuccess(body -> req.response().putHeader("X-Backend", name).end(name + ":" + body));
            return;
        }
        if (path.equals("/reset")) {
            req.connection().close();
        } else if (path.equals("/refused")) {
            if (seen.add(req.connection())) {
                req.response().end("first");
            } else {
                req.connection().close();
            }
        } else if (path.startsWith("/status/")) {
            req.response().setStatusCode(Integer.parseInt(path.substring("/status/".length()))).end(name + " failed");
        } else if (path.equals("/hang")) {
            // never answers
            return;
        } else if (path.equals("/midbody")) {
            req.response().setChunked(true).write("part-");
            req.connection().close();
        } else {
            req.response().end(name);
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return server.actualPort();
    }

    /** Traffic requests that arrived for {@code path}. */
    public int requests(String path) {
        AtomicInteger n = requests.get(path);
        return n == null ? 0 : n.get();
    }

    /** Traffic requests that arrived, every path. */
    public int requests() {
        return requests.values().stream().mapToInt(AtomicInteger::get).sum();
    }
}
