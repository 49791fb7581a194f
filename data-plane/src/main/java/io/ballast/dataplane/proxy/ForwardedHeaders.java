package io.ballast.dataplane.proxy;

import io.ballast.dataplane.settings.ProxySettings;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
    static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString FORWARDED = AsciiString.cached("forwarded");
    private static final AsciiString VIA = AsciiString.cached("via");

    private final ProxySettings settings;

    ForwardedHeaders(ProxySettings settings) {
        this.settings = settings;
    }

    /**
     * The request id to use: the client's when it is a short printable token, else a new random one. Called
     * before routing so every answer, even a 404, carries one.
     */
    static String requestId(HttpHeaders headers) {
        String given = headers.get(X_REQUEST_ID);
        if (given != null && given.length() <= MAX_REQUEST_ID && printableToken(given)) {
            return given;
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        byte[] id = new byte[32];
        hex(r.nextLong(), id, 0);
        hex(r.nextLong(), id, 16);
        return new String(id, StandardCharsets.ISO_8859_1);
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private static void hex(long v, byte[] out, int at) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
    }

    /**
     * The last {@code Forwarded} element built on one client connection: the peer and the protocol never change
     * there and the Host rarely does, so most requests reuse the string. Confined to the connection's loop.
     */
    static final class LastElement {
        private String host;
        private String element;
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

    /**
     * Sets the forwarding headers on {@code out}, the request to the backend (already holding the client's
     * end-to-end headers).
     *
     * @param client       the peer's address, or null when unknown
     * @param tls          whether the client connection is TLS
     * @param originalHost the client's Host / :authority, or null
     * @param hop          this hop's {@code Via} entry ({@code 1.1 ballast} …)
     */
    void apply(String client, boolean tls, String originalHost, String requestId, String hop, HttpHeaders out, LastElement last) {
        boolean trusted = client != null && settings.trusts(client);
        String proto = tls ? "https" : "http";
        if (client != null) {
            String xff = trusted ? joined(out.getAll(X_FORWARDED_FOR)) : "";
            out.set(X_FORWARDED_FOR, xff.isBlank() ? client : xff + ", " + client);
        } else if (!trusted) {
            out.remove(X_FORWARDED_FOR);
        }
        if (!trusted || !out.contains(X_FORWARDED_PROTO)) {
            out.set(X_FORWARDED_PROTO, proto);
        }
        if (!trusted || !out.contains(X_FORWARDED_HOST)) {
            if (originalHost != null) {
                out.set(X_FORWARDED_HOST, originalHost);
            } else {
                out.remove(X_FORWARDED_HOST);
            }
        }
        String previous = trusted ? joined(out.getAll(FORWARDED)) : "";
        String own;
        if (last.element != null && java.util.Objects.equals(last.host, originalHost)) {
            own = last.element;
        } else {
            StringBuilder element = new StringBuilder(64);
            element.append("for=").append(forwardedNode(client)).append(";proto=").append(proto);
            if (originalHost != null && !originalHost.isEmpty()) {
                element.append(";host=\"").append(originalHost.replace("\\", "").replace("\"", "")).append('"');
            }
            own = element.toString();
            last.host = originalHost;
            last.element = own;
        }
        out.set(FORWARDED, previous.isBlank() ? own : previous + ", " + own);
        appendVia(hop, out);
        out.set(X_REQUEST_ID, requestId);
    }

    /** Adds this hop to the response's {@code Via} and tells the client the request id used. */
    static void applyToResponse(String hop, String requestId, HttpHeaders out) {
        appendVia(hop, out);
        out.set(X_REQUEST_ID, requestId);
    }

    private static void appendVia(String hop, HttpHeaders headers) {
        String previous = headers.contains(VIA) ? joined(headers.getAll(VIA)) : "";
        headers.set(VIA, previous.isBlank() ? hop : previous + ", " + hop);
    }

    private static String joined(List<String> values) {
        return values.isEmpty() ? "" : values.size() == 1 ? values.get(0) : String.join(", ", values);
    }

    /** RFC 7239 §6: IPv6 addresses are quoted and bracketed; an unknown peer is {@code unknown}. */
    private static String forwardedNode(String address) {
        if (address == null) {
            return "unknown";
        }
        return address.contains(":") ? "\"[" + address + "]\"" : address;
    }
}
