package io.ballast.dataplane.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
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

    /**
     * Removes the hop-by-hop fields from {@code headers} in place. Runs on every request and response head, so
     * the common cases allocate nothing: no {@code Connection} field, or one naming only {@code keep-alive} (removed
     * below anyway) or {@code close} (a field of that name goes, as any other named one).
     */
    static void removeHopByHop(HttpHeaders headers) {
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            List<String> named = connectionNamedFields(headers);
            for (int i = 0; i < named.size(); i++) {
                headers.remove(named.get(i));
            }
            // A field literally named "close" is rare enough to look the token up again only when there is one.
            if (headers.contains(HttpHeaderValues.CLOSE) && connectionHas(headers, "close")) {
                headers.remove(HttpHeaderValues.CLOSE);
            }
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

    /** The field names {@code Connection} lists other than keep-alive and close; an empty list without allocating. */
    private static List<String> connectionNamedFields(HttpHeaders headers) {
        List<String> names = List.of();
        Iterator<? extends CharSequence> values = headers.valueCharSequenceIterator(HttpHeaderNames.CONNECTION);
        while (values.hasNext()) {
            CharSequence value = values.next();
            int end = value.length();
            for (int from = 0; from < end; ) {
                int comma = AsciiString.indexOf(value, ',', from);
                int to = comma < 0 ? end : comma;
                int start = from;
                int stop = to;
                while (start < stop && isOws(value.charAt(start))) {
                    start++;
                }
                while (stop > start && isOws(value.charAt(stop - 1))) {
                    stop--;
                }
                if (stop > start && !isToken(value, start, stop, HttpHeaderValues.KEEP_ALIVE)
                        && !isToken(value, start, stop, HttpHeaderValues.CLOSE)) {
                    if (names.isEmpty()) {
                        names = new java.util.ArrayList<>(2);
                    }
                    names.add(value.subSequence(start, stop).toString().toLowerCase(java.util.Locale.ROOT));
                }
                from = to + 1;
            }
        }
        return names;
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isToken(CharSequence value, int start, int stop, AsciiString token) {
        return stop - start == token.length() && AsciiString.regionMatches(value, true, start, token, 0, token.length());
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
