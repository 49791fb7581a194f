package io.ballast.dataplane.proxy;

import io.ballast.dataplane.lifecycle.DrainState;
import io.ballast.dataplane.metrics.AccessLog;
import io.ballast.dataplane.metrics.ProxyMetrics;
import io.ballast.dataplane.routing.ActiveConfig;
import io.ballast.dataplane.routing.ConfigHolder;
import io.ballast.dataplane.routing.Hosts;
import io.ballast.dataplane.routing.RouteMatch;
import io.ballast.dataplane.settings.ProxySettings;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.Map;

/**
 * Entry point of every proxied request: checks what the HTTP codec leaves to us (header count, Host), reads
 * the active config once (so the request keeps that table to its end, whatever is swapped in meanwhile),
 * routes, and hands over to a {@link ProxyExchange}. Confined to its event loop: one instance per event loop, holding no
 * per-request state.
 */
final class ProxyHandler implements Handler<HttpServerRequest> {
    private final Vertx vertx;
    private final BackendClients clients;
    private final ConfigHolder holder;
    private final ProxyMetrics metrics;
    private final AccessLog accessLog;
    private final ProxySettings settings;
    private final ForwardedHeaders forwarded;
    private final PendingRequests pending;
    private final DrainState drain;
    private ActiveConfig lastSeen;

    ProxyHandler(Vertx vertx, BackendClients clients, ConfigHolder holder, ProxyMetrics metrics, AccessLog accessLog,
                 ProxySettings settings, PendingRequests pending, DrainState drain) {
        this.vertx = vertx;
        this.clients = clients;
        this.holder = holder;
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.settings = settings;
        this.forwarded = new ForwardedHeaders(settings);
        this.pending = pending;
        this.drain = drain;
    }

    @Override
    public void handle(HttpServerRequest request) {
        metrics.requestReceived();
        RequestRecord record = new RequestRecord(request);
        String requestId = ForwardedHeaders.requestId(request);
        record.requestId(requestId);
        request.response().putHeader("X-Request-Id", requestId);
        if (drain.closesConnections() && request.version() != HttpVersion.HTTP_2) {
            // Draining (one volatile read): this answer closes its connection, so the client's next one goes
            // wherever the VIP or the balancer in front points now. HTTP/2 clients get GOAWAY at stop instead.
            request.response().putHeader("Connection", "close").bodyEndHandler(v -> request.connection().close());
        }
        if (!request.decoderResult().isSuccess()) {
            // The codec could not parse the request (bad framing, bad Content-Length …): never guess, answer 400.
            rejectAndClose(request, record, 400, "bad-request", "Bad request", "The request is malformed.");
            return;
        }
        if (fieldCount(request.headers()) > settings.maxHeaderCount()) {
            rejectAndClose(request, record, 431, "too-many-headers", "Request header fields too large",
                    "The request has more than " + settings.maxHeaderCount() + " header fields.");
            return;
        }
        if (request.version() == HttpVersion.HTTP_1_1 && request.headers().getAll("Host").size() != 1) {
            // RFC 9112 §3.2: a 1.1 request without exactly one Host is answered 400.
            rejectAndClose(request, record, 400, "bad-host", "Bad request", "An HTTP/1.1 request needs exactly one Host header.");
            return;
        }
        ActiveConfig active = holder.current();
        if (active == null) {
            record.flag(RequestRecord.Flag.NC);
            record.writeWhenDone(metrics, accessLog, () -> { });
            metrics.responded(Problems.noConfig(request.response()));
            return;
        }
        record.revision(active.revision());
        retireClientsAfterSwap(active);
        String rawHost = request.getHeader("Host");
        String host = Hosts.normalize(rawHost != null ? rawHost : request.authority() == null ? null : request.authority().toString());
        RouteMatch match = active.table().match(host, request.path());
        if (match == null) {
            record.flag(RequestRecord.Flag.NR);
            record.writeWhenDone(metrics, accessLog, () -> { });
            metrics.noRoute();
            metrics.responded(Problems.noRoute(request.response(), host, request.path()));
            return;
        }
        record.pool(match.pool().name());
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
        ProxyExchange exchange = new ProxyExchange(vertx, clients.forPool(match.pool().config()), metrics, request, match, hasBody, record, forwarded, pending, drain);
        record.writeWhenDone(metrics, accessLog, exchange::onClientGone);
        exchange.start();
    }

    /**
     * The first request after a swap shuts down the backend clients of idle timeouts no pool uses any more. Done
     * here rather than on a timer: it costs one comparison per request; without traffic the retired client's
     * connections close on their own keep-alive timeout anyway.
     */
    private void retireClientsAfterSwap(ActiveConfig active) {
        if (active != lastSeen) {
            lastSeen = active;
            clients.keepOnly(active.table().pools().stream().map(UpstreamPool::config).toList());
        }
    }

    private void rejectAndClose(HttpServerRequest request, RequestRecord record, int status, String type, String title,
                                String detail) {
        record.flag(RequestRecord.Flag.DPE);
        record.writeWhenDone(metrics, accessLog, () -> { });
        request.response().putHeader("Connection", "close").bodyEndHandler(v -> request.connection().close());
        metrics.responded(Problems.send(request.response(), status, type, title, detail));
    }

    /** Header lines, repeated names counted each time ({@link MultiMap#size()} counts distinct names). */
    private static int fieldCount(MultiMap headers) {
        int n = 0;
        for (Map.Entry<String, String> ignored : headers) {
            n++;
        }
        return n;
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
