package io.ballast.dataplane.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Vert.x backend for tests. {@code /healthz} answers 200; {@code /echo} answers the request head as
 * JSON; {@code /hop} answers with hop-by-hop headers a proxy must strip; {@code /slow?ms=N} answers after N ms;
 * everything else answers the backend's name. Can be stopped and restarted on the same port.
 */
public final class TestBackend {
    private final Vertx vertx;
    private final String name;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger probes = new AtomicInteger();
    private volatile int port;
    private volatile HttpServer server;

    private TestBackend(Vertx vertx, String name) {
        this.vertx = vertx;
        this.name = name;
    }

    public static TestBackend start(Vertx vertx, String name) throws Exception {
        TestBackend b = new TestBackend(vertx, name);
        b.listen(0);
        return b;
    }

    private void listen(int wantedPort) throws Exception {
        HttpServer s = vertx.createHttpServer().requestHandler(req -> {
            if (!req.path().equals("/healthz")) {
                requests.incrementAndGet();
            } else {
                probes.incrementAndGet();
            }
            switch (req.path()) {
                case "/healthz" -> req.response().end("ok");
                case "/echo" -> req.body().onSuccess(body -> {
                    JsonObject headers = new JsonObject();
                    for (Map.Entry<String, String> h : req.headers()) {
                        headers.put(h.getKey().toLowerCase(), h.getValue());
                    }
                    req.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                            .put("backend", name).put("method", req.method().name()).put("uri", req.uri())
                            .put("headers", headers).put("body", body.toString()).encode());
                });
                case "/hop" -> req.response()
                        .putHeader("Connection", "X-Secret-Hop")
                        .putHeader("X-Secret-Hop", "must-not-pass")
                        .putHeader("Keep-Alive", "timeout=5")
                        .putHeader("X-End-To-End", "kept")
                        .end(name);
                case "/chunked" -> {
                    req.response().setChunked(true).write(name + "-1;");
                    vertx.setTimer(20, id -> req.response().end(name + "-2"));
                }
                case "/slow" -> {
                    long ms = Long.parseLong(req.getParam("ms", "1000"));
                    vertx.setTimer(ms, id -> req.response().end(name));
                }
                default -> req.response().putHeader("X-Backend", name).end(name);
            }
        });
        server = s.listen(wantedPort, "127.0.0.1").await(10, TimeUnit.SECONDS);
        port = server.actualPort();
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** Requests served, not counting health checks. */
    public int requests() {
        return requests.get();
    }

    /** Health checks answered ({@code /healthz}). */
    public int probes() {
        return probes.get();
    }

    public void stop() throws Exception {
        server.close().await(10, TimeUnit.SECONDS);
    }

    public void restart() throws Exception {
        listen(port);
    }
}
