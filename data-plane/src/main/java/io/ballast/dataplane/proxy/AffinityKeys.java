package io.ballast.dataplane.proxy;

import io.ballast.dataplane.lb.RequestKey;
import io.ballast.model.Pool;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.util.Locale;

/**
 * Reads what a request says about where it should go, following the pool's {@code hashOn}
 * ({@code source-ip}, {@code header:<name>}, {@code cookie:<name>}) and {@code stickyCookie}, and writes the
 * affinity cookie back when the request was sent somewhere else. Stateless and thread-safe.
 */
final class AffinityKeys {
    private AffinityKeys() {
    }

    static RequestKey of(HttpHeaders headers, String client, Pool pool) {
        if (pool.hashOn() == null && (pool.stickyCookie() == null || pool.stickyCookie().isBlank())) {
            return RequestKey.NONE;
        }
        String hash = pool.hashOn() == null ? null : hashKey(headers, client, pool.hashOn());
        String sticky = pool.stickyCookie();
        String affinity = sticky != null && !sticky.isBlank() ? cookie(headers, sticky) : null;
        return RequestKey.of(hash, affinity);
    }

    private static String hashKey(HttpHeaders headers, String client, String hashOn) {
        String spec = hashOn.trim();
        String lower = spec.toLowerCase(Locale.ROOT);
        if (lower.equals("source-ip")) {
            // The peer address, not X-Forwarded-For: a client must not choose its backend by forging a header.
            return client;
        }
        if (lower.startsWith("header:")) {
            return headers.get(spec.substring("header:".length()).trim());
        }
        if (lower.startsWith("cookie:")) {
            return cookie(headers, spec.substring("cookie:".length()).trim());
        }
        return null;
    }

    private static String cookie(HttpHeaders headers, String name) {
        for (String header : headers.getAll(HttpHeaderNames.COOKIE)) {
            for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
                if (c.name().equals(name)) {
                    return c.value();
                }
            }
        }
        return null;
    }

    /** Sets the affinity cookie unless the client already holds the one for {@code affinityId}. */
    static void remember(HttpHeaders response, boolean tls, Pool pool, RequestKey key, String affinityId) {
        String sticky = pool.stickyCookie();
        if (sticky == null || sticky.isBlank() || affinityId.equals(key.affinity())) {
            return;
        }
        DefaultCookie cookie = new DefaultCookie(sticky, affinityId);
        cookie.setPath("/");
        cookie.setHttpOnly(true);
        cookie.setSameSite(CookieHeaderNames.SameSite.Lax);
        cookie.setSecure(tls);
        response.add(HttpHeaderNames.SET_COOKIE, ServerCookieEncoder.LAX.encode(cookie));
    }
}
