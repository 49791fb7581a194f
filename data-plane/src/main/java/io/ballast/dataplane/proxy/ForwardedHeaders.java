package io.ballast.dataplane.proxy;

import io.ballast.dataplane.settings.ProxySettings;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The headers a proxy adds on the way in and out: {@code X-Forwarded-For/-Proto/-Host}, {@code Forwarded}
 * (RFC 7239), {@code Via} (RFC 9110 §7.6.3) and {@code X-Request-Id}. What a client says about earlier hops
 * is kept (and appended to) only when the peer is a trusted proxy; from anyone else it is replaced, so a
 * client cannot forge its address to a backend that trusts the first {@code X-Forwarded-For} entry.
 * Stateless apart from settings; thread-safe.
 */
final class ForwardedHeaders {
    /** Longest client-supplied request id passed on; longer or odd ones are replaced, as they end up in logs. */
    private static final int MAX_REQUEST_ID = 128;

    private final ProxySettings settings;

    ForwardedHeaders(ProxySettings settings) {
        this.settings = settings;
    }

    /**
     * The request id to use: the client's when it is a short printable token, else a new random one. Called
     * before routing so every answer, even a 404, carries one.
     */
    static String requestId(HttpServerRequest request) {
        String given = request.getHeader("X-Request-Id");
        if (given != null && given.length() <= MAX_REQUEST_ID && printableToken(given)) {
            return given;
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
    }

    private static boolean printableToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Sets the forwarding headers on {@code out}, the request to the backend (already holding the client's headers). */
    void apply(HttpServerRequest request, String originalHost, String requestId, MultiMap out) {
        SocketAddress remote = request.remoteAddress();
        String client = remote == null ? null : remote.hostAddress();
        boolean trusted = client != null && settings.trusts(client);
        String proto = request.isSSL() ? "https" : "http";

        String xff = trusted ? String.join(", ", out.getAll("X-Forwarded-For")) : "";
        if (client != null) {
            out.set("X-Forwarded-For", xff.isBlank() ? client : xff + ", " + client);
        } else if (!trusted) {
            out.remove("X-Forwarded-For");
        }
        if (!trusted || !out.contains("X-Forwarded-Proto")) {
            out.set("X-Forwarded-Proto", proto);
        }
        if (!trusted || !out.contains("X-Forwarded-Host")) {
            if (originalHost != null) {
                out.set("X-Forwarded-Host", originalHost);
            } else {
                out.remove("X-Forwarded-Host");
            }
        }
        String previous = trusted ? String.join(", ", out.getAll("Forwarded")) : "";
        StringBuilder element = new StringBuilder("for=").append(forwardedNode(client)).append(";proto=").append(proto);
        if (originalHost != null && !originalHost.isEmpty()) {
            element.append(";host=\"").append(originalHost.replace("\\", "").replace("\"", "")).append('"');
        }
        out.set("Forwarded", previous.isBlank() ? element : previous + ", " + element);
        appendVia(request, out);
        out.set("X-Request-Id", requestId);
    }

    /** Adds this hop to the response's {@code Via} and tells the client the request id used. */
    void applyToResponse(HttpServerRequest request, String requestId, MultiMap out) {
        appendVia(request, out);
        out.set("X-Request-Id", requestId);
    }

    private static void appendVia(HttpServerRequest request, MultiMap headers) {
        String hop = (request.version() == HttpVersion.HTTP_2 ? "2" : request.version() == HttpVersion.HTTP_1_0 ? "1.0" : "1.1")
                + " ballast";
        String previous = String.join(", ", headers.getAll("Via"));
        headers.set("Via", previous.isBlank() ? hop : previous + ", " + hop);
    }

    /** RFC 7239 §6: IPv6 addresses are quoted and bracketed; an unknown peer is {@code unknown}. */
    private static String forwardedNode(String address) {
        if (address == null) {
            return "unknown";
        }
        return address.contains(":") ? "\"[" + address + "]\"" : address;
    }
}
