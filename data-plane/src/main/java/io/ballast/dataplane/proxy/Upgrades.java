package io.ballast.dataplane.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.Locale;

/**
 * Which protocol upgrades the proxy passes to a backend: only WebSocket (RFC 6455 §4.1: an HTTP/1.1 GET with
 * {@code Connection: upgrade} and {@code Upgrade: websocket}). {@code h2c} is removed before a request gets
 * here ({@link RequestHeadChecks}); any other Upgrade is hop-by-hop and dropped. Stateless and thread-safe.
 */
final class Upgrades {
    private Upgrades() {
    }

    /** True for a WebSocket opening handshake that may be tunnelled once the backend answers 101. */
    static boolean isWebSocket(HttpServerRequest request) {
        if (request.method() != HttpMethod.GET || request.version() != HttpVersion.HTTP_1_1) {
            return false;
        }
        String upgrade = request.getHeader("Upgrade");
        return upgrade != null && upgrade.trim().toLowerCase(Locale.ROOT).equals("websocket")
                && HeaderHygiene.connectionNamed(request.headers()).contains("upgrade");
    }

    /** Restores the upgrade fields hop-by-hop filtering removed: they are this hop's request to switch. */
    static void requestUpgrade(MultiMap headers) {
        headers.set("Connection", "Upgrade");
        headers.set("Upgrade", "websocket");
    }
}
