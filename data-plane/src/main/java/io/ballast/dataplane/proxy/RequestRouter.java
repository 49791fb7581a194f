package io.ballast.dataplane.proxy;

import io.ballast.dataplane.metrics.ProxyMetrics;
import io.ballast.dataplane.ratelimit.RouteRateLimiter;
import io.ballast.dataplane.routing.ActionPlan;
import io.ballast.dataplane.routing.ActiveConfig;
import io.ballast.dataplane.routing.ConfigHolder;
import io.ballast.dataplane.routing.RouteMatch;
import io.ballast.dataplane.settings.ProxySettings;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.Iterator;

/**
 * Entry point of every request head, whatever the protocol: checks what the codec leaves to us (decoding
 * failures, header count, Host), reads the active config once (so the request keeps that table to its end,
 * whatever is swapped in meanwhile), routes, and hands over to a {@link ProxyExchange}, or answers itself.
 * Holds no per-request state; thread-safe (one instance shared by every event loop).
 */
final class RequestRouter {
    private final ConfigHolder holder;
    private final ProxySettings settings;
    private final ProxyExchange.Context context;
    /** The port {@code httpsRedirect} points at: the TLS listener's, once bound (443 without one: TLS ends in front). */
    private volatile int httpsPort = 443;

    RequestRouter(ConfigHolder holder, ProxySettings settings, ProxyExchange.Context context) {
        this.holder = holder;
        this.settings = settings;
        this.context = context;
    }

    /** Sets the port of the TLS listener that {@code httpsRedirect} answers point at. */
    void httpsPort(int port) {
        this.httpsPort = port;
    }

    Exchange route(DownstreamHandler down, HttpRequest request) {
        ProxyMetrics metrics = context.metrics();
        metrics.requestReceived();
        HttpHeaders headers = request.headers();
        RequestRecord record = new RequestRecord(request, down.client(), down.protocol(), context.accessLog().enabled());
        record.requestId(ForwardedHeaders.requestId(headers));
        DecoderResult decoded = request.decoderResult();
        if (!decoded.isSuccess()) {
            // The codec could not parse the request (bad framing, bad Content-Length …): never guess.
            Throwable cause = decoded.cause();
            if (cause instanceof RefusedRequest r) {
                return reject(down, record, r.status, r.type, r.title, r.detail);
            }
            if (cause instanceof TooLongHttpLineException) {
                return reject(down, record, 414, "uri-too-long", "URI too long",
                        "The request line is longer than " + settings.maxRequestLine() + " bytes.");
            }
            if (cause instanceof TooLongHttpHeaderException) {
                return reject(down, record, 431, "headers-too-large", "Request header fields too large",
                        "The request head is larger than " + settings.maxHeaderSize() + " bytes.");
            }
            return reject(down, record, 400, "bad-request", "Bad request", "The request is malformed.");
        }
        if (fieldCount(headers) > settings.maxHeaderCount()) {
            return reject(down, record, 431, "too-many-headers", "Request header fields too large",
                    "The request has more than " + settings.maxHeaderCount() + " header fields.");
        }
        if (!down.http2() && request.protocolVersion() == HttpVersion.HTTP_1_1 && hostCount(headers) != 1) {
            // RFC 9112 §3.2: a 1.1 request without exactly one Host is answered 400.
            return reject(down, record, 400, "bad-host", "Bad request", "An HTTP/1.1 request needs exactly one Host header.");
        }
        ActiveConfig active = holder.current();
        if (active == null) {
            record.flag(RequestRecord.Flag.NC);
            return local(down, record, Problems.noConfig(down.version()), false);
        }
        record.revision(active.revision());
        String uri = request.uri();
        int pathStart = pathStart(uri);
        int query = uri.indexOf('?', pathStart);
        String path = pathStart == 0 && query < 0 ? uri : uri.substring(pathStart, query < 0 ? uri.length() : query);
        if (path.isEmpty()) {
            path = "/";
        }
        String host = down.normalizedHost(headers.get(HttpHeaderNames.HOST));
        RouteMatch match = active.table().match(host, path, request);
        if (match == null) {
            record.flag(RequestRecord.Flag.NR);
            metrics.noRoute();
            return local(down, record, Problems.noRoute(down.version(), host, path), false);
        }
        RouteRateLimiter limiter = match.rateLimiter();
        if (limiter != null) {
            // Before any action: a route that redirects or answers itself is limited too.
            long wait = limiter.check(headers, down.client());
            if (wait > 0) {
                record.flag(RequestRecord.Flag.RL);
                return local(down, record, limiter.tooManyRequests(down.version(), wait), false);
            }
        }
        ActionPlan actions = match.actions();
        if (actions != null && actions.redirectsToHttps() && !down.tls()) {
            String requestHost = headers.get(HttpHeaderNames.HOST);
            if (requestHost == null || requestHost.isBlank()) {
                // An HTTP/1.0 request without Host: no https:// URL can be built, and forwarding it would defeat the policy.
                return reject(down, record, 400, "bad-host", "Bad request", "This route is served over HTTPS only; a redirect needs the Host header.");
            }
            String target = query < 0 ? path : path + uri.substring(query);
            return local(down, record, actions.httpsRedirect(down.version(), requestHost, target, httpsPort), false);
        }
        if (actions != null && actions.answersItself()) {
            FullHttpResponse answer = actions.answer(down.version(), request, path, query < 0 ? "" : uri.substring(query), down.tls());
            actions.editResponse(answer.headers(), ProxyExchange.vars(down, record, request));
            if (down.tls()) {
                actions.addHsts(answer.headers());
            }
            return local(down, record, answer, false);
        }
        if (match.split() != null) {
            match = match.withPool(match.split().pick(headers, down.client()));
        }
        record.pool(match.pool().name());
        String target = query < 0 ? match.path() : match.path() + uri.substring(query);
        ExchangeLimit limit = down.exchangeLimit();
        if (limit != null && !limit.hasRoom()) {
            // Streams the client reset still hold their place until their channel closes, later in this turn.
            metrics.overloaded();
            down.refuseStream();
            return Exchange.LOCAL;
        }
        if (HttpUtil.is100ContinueExpected(request)) {
            down.sendContinue();
        }
        ProxyExchange exchange = new ProxyExchange(context, down, request, match, target, hasBody(headers), record);
        exchange.start();
        return exchange;
    }

    /** Where the path starts: 0 in origin form, after the authority in absolute form ({@code http://h/p}). */
    private static int pathStart(String uri) {
        if (uri.startsWith("/")) {
            return 0;
        }
        int scheme = uri.indexOf("://");
        if (scheme < 0) {
            return 0;
        }
        int slash = uri.indexOf('/', scheme + 3);
        int q = uri.indexOf('?', scheme + 3);
        if (slash < 0 || (q >= 0 && q < slash)) {
            return q >= 0 ? q : uri.length();
        }
        return slash;
    }

    private Exchange reject(DownstreamHandler down, RequestRecord record, int status, String type, String title, String detail) {
        record.flag(RequestRecord.Flag.DPE);
        return local(down, record, Problems.of(down.version(), status, type, title, detail), true);
    }

    private Exchange local(DownstreamHandler down, RequestRecord record, FullHttpResponse response, boolean close) {
        int status = response.status().code();
        response.headers().set(ForwardedHeaders.X_REQUEST_ID, record.requestId());
        record.status(status);
        record.bytesOut = response.content().readableBytes();
        context.metrics().responded(status);
        record.write(context.metrics(), context.accessLog(), false);
        down.sendLocal(response, close);
        return Exchange.LOCAL;
    }

    /** Host fields, without building the list {@code getAll} would. */
    private static int hostCount(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.HOST)) {
            return 0;
        }
        int n = 0;
        for (Iterator<? extends CharSequence> it = headers.valueCharSequenceIterator(HttpHeaderNames.HOST); it.hasNext() && n < 2; it.next()) {
            n++;
        }
        return n;
    }

    /** Header lines, repeated names counted each time (Netty's {@code size()} counts entries, not names). */
    private static int fieldCount(HttpHeaders headers) {
        return headers.size();
    }

    /** RFC 9112 §6.3: a request has a body when it is chunked or declares a non-zero Content-Length. */
    private static boolean hasBody(HttpHeaders headers) {
        if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return true;
        }
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        return length != null && !length.trim().equals("0");
    }
}
