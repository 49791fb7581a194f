package io.ballast.dataplane.proxy;

import io.ballast.dataplane.metrics.ProxyMetrics;
import io.ballast.dataplane.routing.ActiveConfig;
import io.ballast.dataplane.routing.ConfigHolder;
import io.ballast.dataplane.routing.Hosts;
import io.ballast.dataplane.routing.RouteMatch;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServerRequest;

/**
 * Entry point of every proxied request: reads the active config once (so the request keeps that table to
 * its end, whatever is swapped in meanwhile), routes, and hands over to a {@link ProxyExchange}.
 * Thread-safe: one instance per event loop, holding no per-request state.
 */
final class ProxyHandler implements Handler<HttpServerRequest> {
    private final Vertx vertx;
    private final HttpClient client;
    private final ConfigHolder holder;
    private final ProxyMetrics metrics;

    ProxyHandler(Vertx vertx, HttpClient client, ConfigHolder holder, ProxyMetrics metrics) {
        this.vertx = vertx;
        this.client = client;
        this.holder = holder;
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpServerRequest request) {
        metrics.requestReceived();
        ActiveConfig active = holder.current();
        if (active == null) {
            metrics.responded(Problems.noConfig(request.response()));
            return;
        }
        String rawHost = request.getHeader("Host");
        String host = Hosts.normalize(rawHost != null ? rawHost : request.authority() == null ? null : request.authority().toString());
        RouteMatch match = active.table().match(host, request.path());
        if (match == null) {
            metrics.noRoute();
            metrics.responded(Problems.noRoute(request.response(), host, request.path()));
            return;
        }
        if (HeaderHygiene.connectionNamed(request.headers()).contains("close")) {
            // Connection is a token list (RFC 9110 §7.6.1); the server only honours a bare "close", so a
            // "close, X-Foo" would otherwise leave the connection open.
            request.response().putHeader("Connection", "close").bodyEndHandler(v -> request.connection().close());
        }
        boolean hasBody = hasBody(request);
        if (hasBody) {
            // Hold the body until a backend connection is ready to take it (back-pressure via the pipe).
            request.pause();
        }
        new ProxyExchange(vertx, client, metrics, request, match, hasBody).start();
    }

    /** RFC 9112 §6.3: a request has a body when it is chunked or declares a non-zero Content-Length. */
    private static boolean hasBody(HttpServerRequest request) {
        if (request.headers().contains("Transfer-Encoding")) {
            return true;
        }
        String length = request.getHeader("Content-Length");
        return length != null && !length.trim().equals("0");
    }
}
