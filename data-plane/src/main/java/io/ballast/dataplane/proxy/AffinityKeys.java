package io.ballast.dataplane.proxy;

import io.ballast.dataplane.lb.RequestKey;
import io.ballast.model.Pool;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.Locale;

/**
 * Reads what a request says about where it should go, following the pool's {@code hashOn}
 * ({@code source-ip}, {@code header:<name>}, {@code cookie:<name>}) and {@code stickyCookie}, and writes the
 * affinity cookie back when the request was sent somewhere else. Stateless and thread-safe.
 */
final class AffinityKeys {
    private AffinityKeys() {
    }

    static RequestKey of(HttpServerRequest request, Pool pool) {
        String hash = pool.hashOn() == null ? null : hashKey(request, pool.hashOn());
        String sticky = pool.stickyCookie();
        String affinity = null;
        if (sticky != null && !sticky.isBlank()) {
            Cookie c = request.getCookie(sticky);
            affinity = c == null ? null : c.getValue();
        }
        return RequestKey.of(hash, affinity);
    }

    private static String hashKey(HttpServerRequest request, String hashOn) {
        String spec = hashOn.trim();
        String lower = spec.toLowerCase(Locale.ROOT);
        if (lower.equals("source-ip")) {
            // The peer address, not X-Forwarded-For: a client must not choose its backend by forging a header.
            SocketAddress remote = request.remoteAddress();
            return remote == null ? null : remote.hostAddress();
        }
        if (lower.startsWith("header:")) {
            return request.getHeader(spec.substring("header:".length()).trim());
        }
        if (lower.startsWith("cookie:")) {
            Cookie c = request.getCookie(spec.substring("cookie:".length()).trim());
            return c == null ? null : c.getValue();
        }
        return null;
    }

    /** Sets the affinity cookie unless the client already holds the one for {@code affinityId}. */
    static void remember(HttpServerRequest request, Pool pool, RequestKey key, String affinityId) {
        String sticky = pool.stickyCookie();
        if (sticky == null || sticky.isBlank() || affinityId.equals(key.affinity())) {
            return;
        }
        request.response().addCookie(Cookie.cookie(sticky, affinityId).setPath("/").setHttpOnly(true)
                .setSameSite(CookieSameSite.LAX).setSecure(request.isSSL()));
    }
}
