package io.ballast.dataplane.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.Map;

/**
 * The field rules of RFC 9113 §8.2 and §8.3 for one HTTP/2 request stream, checked on the decoded field block
 * before anything is converted or forwarded: names in lower-case token characters (a colon only to start a
 * pseudo-header), values without NUL, CR or LF and without surrounding whitespace, no connection-specific fields,
 * the request pseudo-headers each once and nothing else, no pseudo-header in trailers, and a {@code Host} that
 * agrees with {@code :authority} (then only {@code :authority} is kept, so the backend gets one {@code Host}).
 * A request that breaks one is malformed: {@link Http2StreamDispatcher} resets its stream with {@code PROTOCOL_ERROR}
 * (§8.1.1) and nothing of it reaches the forwarding path. The rules are stricter than Netty's own header validation, which lets CR,
 * LF and NUL through in values and leaves names that HTTP/1.1 cannot carry to fail later, mid-conversion.
 *
 * <p>Stateless.
 */
final class Http2RequestCheck {
    private static final AsciiString HOST = HttpHeaderNames.HOST;
    private static final AsciiString TRAILERS = AsciiString.cached("trailers");
    private static final AsciiString[] CONNECTION_SPECIFIC = {HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
        AsciiString.cached("proxy-connection"), HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE};
    /** RFC 9110 §5.6.2 tchar, lower case only: the names an HTTP/1.1 backend can be sent. */
    private static final boolean[] NAME_CHAR = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            NAME_CHAR[c] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            NAME_CHAR[c] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            NAME_CHAR[c] = true;
        }
    }

    private Http2RequestCheck() {
    }

    /**
     * Why the request's field block is malformed, or null when it is not. Removes a {@code host} field that
     * repeats {@code :authority}.
     */
    static String requestViolation(Http2Headers headers) {
        int method = 0;
        int scheme = 0;
        int path = 0;
        int authority = 0;
        int host = 0;
        CharSequence hostValue = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iterator(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> field = it.next();
            CharSequence name = field.getKey();
            CharSequence value = field.getValue();
            if (!validValue(value)) {
                return "invalid value of " + printable(name);
            }
            if (name.length() > 0 && name.charAt(0) == ':') {
                Http2Headers.PseudoHeaderName pseudo = Http2Headers.PseudoHeaderName.getPseudoHeader(name);
                if (pseudo == null) {
                    return "unknown pseudo-header " + printable(name);
                }
                switch (pseudo) {
                    case METHOD -> method++;
                    case SCHEME -> scheme++;
                    case PATH -> {
                        path++;
                        if (value.length() == 0) {
                            return "empty :path";
                        }
                    }
                    case AUTHORITY -> authority++;
                    default -> {
                        // :status is a response's; :protocol (RFC 8441 extended CONNECT) is not offered.
                        return "pseudo-header " + printable(name) + " in a request";
                    }
                }
                continue;
            }
            String why = regularFieldViolation(name, value);
            if (why != null) {
                return why;
            }
            if (HOST.contentEquals(name)) {
                host++;
                hostValue = value;
            }
        }
        if (method != 1 || authority > 1 || host > 1) {
            return "missing or repeated pseudo-header or Host";
        }
        boolean connect = "CONNECT".contentEquals(headers.method());
        if (!connect && (scheme != 1 || path != 1) || connect && (scheme != 0 || path != 0 || authority != 1)) {
            return "missing or repeated pseudo-header";
        }
        if (authority == 1 && host == 1) {
            // §8.3.1: a Host that names another entity than :authority makes the request malformed.
            if (!AsciiString.contentEqualsIgnoreCase(headers.authority(), hostValue)) {
                return "Host differs from :authority";
            }
            headers.remove(HOST);
        }
        return null;
    }

    /** Trailers: the rules of regular fields, and no pseudo-header at all (§8.1). */
    static String trailerViolation(Http2Headers trailers) {
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = trailers.iterator(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> field = it.next();
            if (!validValue(field.getValue())) {
                return "invalid trailer value";
            }
            String why = regularFieldViolation(field.getKey(), field.getValue());
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    private static String regularFieldViolation(CharSequence name, CharSequence value) {
        int n = name.length();
        if (n == 0) {
            return "empty field name";
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c >= 128 || !NAME_CHAR[c]) {
                return "invalid field name " + printable(name);
            }
        }
        for (AsciiString s : CONNECTION_SPECIFIC) {
            if (s.contentEquals(name)) {
                return "connection-specific field " + s;
            }
        }
        // §8.2.2: TE may only say "trailers".
        if (HttpHeaderNames.TE.contentEquals(name) && !TRAILERS.contentEqualsIgnoreCase(value)) {
            return "TE other than trailers";
        }
        return null;
    }

    /** §8.2.1: no NUL, CR or LF anywhere, no SP or HTAB at either end. */
    private static boolean validValue(CharSequence value) {
        int n = value.length();
        if (n > 0 && (isBlank(value.charAt(0)) || isBlank(value.charAt(n - 1)))) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c == 0 || c == '\r' || c == '\n') {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** A name for a message, with anything unprintable shown as '?'. */
    private static String printable(CharSequence s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 64));
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            b.append(c < 0x21 || c > 0x7e ? '?' : c);
        }
        return b.toString();
    }
}
