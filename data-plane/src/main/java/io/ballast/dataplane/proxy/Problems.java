package io.ballast.dataplane.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Answers the proxy writes itself, as RFC 9457 {@code application/problem+json}: short, and never anything
 * about the backends beyond what the client needs. Stateless and thread-safe.
 */
public final class Problems {
    public static final String CONTENT_TYPE = "application/problem+json";
    private static final String BASE = "https://ballast.io/problems/";

    private Problems() {
    }

    /** A complete problem response (the caller adds connection headers and the request id). */
    public static FullHttpResponse of(HttpVersion version, int status, String type, String title, String detail) {
        byte[] body = new JsonObject()
                .put("type", BASE + type)
                .put("title", title)
                .put("status", status)
                .put("detail", detail)
                .encode().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(version, HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return r;
    }

    static FullHttpResponse noRoute(HttpVersion v, String host, String path) {
        return of(v, 404, "no-route", "No route", "No route matches host '" + host + "' and path '" + path + "'.");
    }

    static FullHttpResponse noConfig(HttpVersion v) {
        return of(v, 503, "no-config", "Not configured", "This data plane has not loaded a configuration yet.");
    }

    static FullHttpResponse noHealthyBackend(HttpVersion v, String pool) {
        return of(v, 503, "no-healthy-backend", "No healthy backend", "Pool '" + pool + "' has no backend that can take the request.");
    }

    static FullHttpResponse overloaded(HttpVersion v, String pool) {
        return of(v, 503, "overloaded", "Overloaded",
                "Every backend of pool '" + pool + "' is at its connection limit and the queue of pending requests is full.");
    }

    static FullHttpResponse badGateway(HttpVersion v, String pool) {
        return of(v, 502, "bad-gateway", "Bad gateway", "The backend of pool '" + pool + "' failed to answer.");
    }

    static FullHttpResponse gatewayTimeout(HttpVersion v, String pool) {
        return of(v, 504, "gateway-timeout", "Gateway timeout",
                "The backend of pool '" + pool + "' did not answer within the pool's request timeout.");
    }
}
