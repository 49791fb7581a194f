package io.ballast.dataplane.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Copies headers between hops without the hop-by-hop fields: the fixed list of RFC 9110 §7.6.1 (plus the
 * non-standard {@code Proxy-Connection} and {@code Keep-Alive}) and every field named in {@code Connection}.
 * {@code Transfer-Encoding} goes too: each hop frames the body itself. The extension fields Netty's HTTP/2 to
 * HTTP/1 conversion adds ({@code x-http2-*}) never leave the proxy. Stateless and thread-safe.
 */
public final class HeaderHygiene {
    private static final AsciiString[] HOP_BY_HOP = {
        HttpHeaderNames.CONNECTION, AsciiString.cached("proxy-connection"), HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.TE,
        HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE,
        HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION};
    private static final String HTTP2_EXTENSION_PREFIX = "x-http2-";

    private HeaderHygiene() {
    }

    /**
     * Copies every end-to-end header of {@code from} into {@code to}. The common case (no {@code Connection}
     * tokens beyond keep-alive/close) walks the headers once without allocating a set.
     */
    public static void copyEndToEnd(HttpHeaders from, HttpHeaders to) {
        List<String> named = from.contains(HttpHeaderNames.CONNECTION) ? connectionNamed(from) : List.of();
        Iterator<Map.Entry<CharSequence, CharSequence>> it = from.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            CharSequence name = h.getKey();
            if (!hopByHop(name) && !isNamed(named, name)) {
                to.add(name, h.getValue());
            }
        }
    }

    /** Removes the hop-by-hop fields from {@code headers} in place. */
    static void removeHopByHop(HttpHeaders headers) {
        List<String> named = headers.contains(HttpHeaderNames.CONNECTION) ? connectionNamed(headers) : List.of();
        for (String n : named) {
            headers.remove(n);
        }
        for (AsciiString n : HOP_BY_HOP) {
            headers.remove(n);
        }
    }

    /** True when {@code TE} lists {@code trailers} (RFC 9110 §10.1.4). */
    static boolean acceptsTrailers(HttpHeaders headers) {
        for (String te : headers.getAll(HttpHeaderNames.TE)) {
            for (String token : te.split(",")) {
                int semicolon = token.indexOf(';');
                String name = (semicolon < 0 ? token : token.substring(0, semicolon)).trim();
                if (name.equalsIgnoreCase("trailers")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Removes the {@code x-http2-*} fields Netty's HTTP/2 to HTTP/1 conversion adds to a request. */
    static void removeHttp2Extensions(HttpHeaders headers) {
        for (HttpConversionUtil.ExtensionHeaderNames n : HttpConversionUtil.ExtensionHeaderNames.values()) {
            headers.remove(n.text());
        }
    }

    private static boolean hopByHop(CharSequence name) {
        for (AsciiString h : HOP_BY_HOP) {
            if (h.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return name.length() > HTTP2_EXTENSION_PREFIX.length()
                && AsciiString.regionMatches(name, true, 0, HTTP2_EXTENSION_PREFIX, 0, HTTP2_EXTENSION_PREFIX.length());
    }

    private static boolean isNamed(List<String> named, CharSequence name) {
        for (String n : named) {
            if (AsciiString.contentEqualsIgnoreCase(n, name)) {
                return true;
            }
        }
        return false;
    }

    /** The field names listed in the Connection header(s), lower case. */
    static List<String> connectionNamed(HttpHeaders headers) {
        List<String> values = headers.getAll(HttpHeaderNames.CONNECTION);
        if (values.isEmpty()) {
            return List.of();
        }
        List<String> names = new java.util.ArrayList<>(2);
        for (String value : values) {
            for (String token : value.split(",")) {
                String t = token.trim().toLowerCase(java.util.Locale.ROOT);
                if (!t.isEmpty()) {
                    names.add(t);
                }
            }
        }
        return names;
    }

    /** True when the Connection header lists {@code token}. */
    static boolean connectionHas(HttpHeaders headers, String token) {
        return headers.contains(HttpHeaderNames.CONNECTION) && connectionNamed(headers).contains(token);
    }
}
