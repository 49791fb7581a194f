package io.ballast.dataplane.admin;

import io.ballast.dataplane.lifecycle.Drain;
import io.ballast.dataplane.config.CacheStatus;
import io.ballast.dataplane.metrics.ProxyMetrics;
import io.ballast.dataplane.tls.CertificateReport;
import io.ballast.dataplane.tls.CertificateStore;
import io.ballast.dataplane.routing.ConfigHolder;
import io.ballast.dataplane.settings.ListenAddress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * The admin endpoints: {@code /live} (the process answers), {@code /ready} (a config is loaded, from the
 * control plane or the cache), {@code /status} (JSON, see {@link StatusReport}) and {@code /metrics}
 * (Prometheus text), and one action: {@code POST /drain} starts the graceful drain (after which the process
 * exits), so it must stay on a trusted address such as the loopback default. {@code /ready} answers 503 from the
 * first moment of a drain, which is what moves a keepalived VIP or a balancer away from this node.
 * Thread-safe.
 */
public final class AdminServer {
    private final Vertx vertx;
    private final String nodeId;
    private final ConfigHolder holder;
    private final Supplier<StatusReport.ControlPlaneState> controlPlane;
    private final ProxyMetrics metrics;
    private final Drain drain;
    private final CacheStatus cache;
    private HttpServer server;
    private CertificateStore certificates;

    /**
     * @param drain the node's drain sequence ({@code POST /drain}, {@code /ready}, {@code /status})
     * @param cache how the snapshot cache writes go; shown in {@code /status} and {@code /metrics}
     */
    public AdminServer(Vertx vertx, String nodeId, ConfigHolder holder, Supplier<StatusReport.ControlPlaneState> controlPlane,
                       ProxyMetrics metrics, Drain drain, CacheStatus cache) {
        this.cache = cache;
        this.vertx = vertx;
        this.nodeId = nodeId;
        this.holder = holder;
        this.controlPlane = controlPlane;
        this.metrics = metrics;
        this.drain = drain;
    }

    /** Also reports the served certificates ({@code /status} {@code certificates}, expiry metrics). Call before {@link #start}. */
    public AdminServer withCertificates(CertificateStore store) {
        this.certificates = store;
        return this;
    }

    /** Listens; the future gives the bound address. */
    public Future<ListenAddress> start(ListenAddress address) {
        server = vertx.createHttpServer(new HttpServerOptions().setHost(address.host()).setPort(address.port()));
        return server.requestHandler(this::handle).listen().map(s -> address.withPort(s.actualPort()));
    }

    public Future<Void> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void handle(HttpServerRequest request) {
        if (request.path().equals("/drain")) {
            drain(request);
            return;
        }
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            text(request, 405, "method not allowed\n");
            return;
        }
        switch (request.path()) {
            case "/live" -> text(request, 200, "live\n");
            case "/ready" -> {
                if (!drain.state().inService()) {
                    text(request, 503, "not ready: draining\n");
                } else if (holder.current() != null) {
                    text(request, 200, "ready\n");
                } else {
                    text(request, 503, "not ready: no configuration loaded yet\n");
                }
            }
            case "/status" -> {
                JsonObject status = StatusReport.render(nodeId, holder.current(), controlPlane.get())
                        .put("drain", drain.state().phase().name().toLowerCase(java.util.Locale.ROOT));
                if (cache != null) {
                    status.put("cache", StatusReport.cache(cache));
                }
                if (certificates != null) {
                    status.put("certificates", CertificateReport.status(certificates.current(), java.time.Instant.now()));
                }
                request.response().putHeader("Content-Type", "application/json").end(status.encodePrettily());
            }
            case "/metrics" -> request.response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.prometheus(holder.current()) + (cache == null ? "" : StatusReport.cacheMetrics(cache))
                            + (certificates == null ? "" : CertificateReport.metrics(certificates.current())));
            default -> text(request, 404, "not found; try /live, /ready, /status or /metrics\n");
        }
    }

    /** {@code POST /drain}: 202 at once; the drain runs on (see {@link Drain}) and a repeated call joins it. */
    private void drain(HttpServerRequest request) {
        if (request.method() != HttpMethod.POST) {
            request.response().putHeader("Allow", "POST");
            text(request, 405, "use POST /drain\n");
            return;
        }
        drain.start();
        text(request, 202, "draining: /ready answers 503; serving for " + drain.delay().toMillis()
                + " ms more, then stopping\n");
    }

    private static void text(HttpServerRequest request, int status, String body) {
        request.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(body);
    }
}
