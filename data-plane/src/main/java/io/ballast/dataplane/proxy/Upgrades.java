package io.ballast.dataplane.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Which protocol upgrades the proxy passes to a backend: only WebSocket (RFC 6455 §4.1: an HTTP/1.1 GET with
 * {@code Connection: upgrade} and {@code Upgrade: websocket}). {@code h2c} is removed before a request gets
 * here ({@link RequestHeadChecks}); any other Upgrade is hop-by-hop and dropped. Stateless and thread-safe.
 */
final class Upgrades {
    private Upgrades() {
    }

    /** True for a WebSocket opening handshake that may be tunnelled once the backend answers 101. */
    static boolean isWebSocket(HttpRequest request, boolean http2) {
        if (http2 || request.method() != HttpMethod.GET || request.protocolVersion() != HttpVersion.HTTP_1_1) {
            return false;
        }
        String upgrade = request.headers().get(HttpHeaderNames.UPGRADE);
        return upgrade != null && upgrade.trim().equalsIgnoreCase("websocket")
                && HeaderHygiene.connectionHas(request.headers(), "upgrade");
    }

    /** Restores the upgrade fields hop-by-hop filtering removed: they are this hop's request to switch. */
    static void requestUpgrade(HttpHeaders headers) {
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        headers.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
    }
}
