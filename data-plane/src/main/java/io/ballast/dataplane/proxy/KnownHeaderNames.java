package io.ballast.dataplane.proxy;

import io.netty.util.AsciiString;

/**
 * Shared field-name constants for the HTTP/1 decoders, so the names nearly every message carries are not a new
 * {@link AsciiString} and byte array per field. A name matches only byte for byte, in the spelling it arrived
 * in (both the usual capitalised one and the all-lower-case one are listed), so what is forwarded is exactly
 * what was received. Immutable and thread-safe.
 */
final class KnownHeaderNames {
    private static final String[] SPELLINGS = {
        "Host", "User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "Accept-Ranges", "Authorization",
        "Cache-Control", "Connection", "Content-Encoding", "Content-Length", "Content-Type", "Cookie", "Date",
        "ETag", "Expires", "If-Modified-Since", "If-None-Match", "Keep-Alive", "Last-Modified", "Location",
        "Origin", "Pragma", "Referer", "Server", "Set-Cookie", "Transfer-Encoding", "Vary", "Via",
        "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Request-Id", "X-Real-IP"};
    /** Indexed by name length, then the candidates of that length. */
    private static final AsciiString[][] BY_LENGTH = byLength();

    private KnownHeaderNames() {
    }

    /** The constant spelled exactly as {@code length} bytes of {@code sb} from {@code start}, else null. */
    static AsciiString find(byte[] sb, int start, int length) {
        if (length >= BY_LENGTH.length) {
            return null;
        }
        AsciiString[] candidates = BY_LENGTH[length];
        if (candidates == null) {
            return null;
        }
        for (AsciiString c : candidates) {
            if (sameBytes(c, sb, start, length)) {
                return c;
            }
        }
        return null;
    }

    /** True when {@code name} is one of these constants itself (a valid field name by construction). */
    static boolean isConstant(CharSequence name) {
        if (!(name instanceof AsciiString) || name.length() >= BY_LENGTH.length) {
            return false;
        }
        AsciiString[] candidates = BY_LENGTH[name.length()];
        if (candidates != null) {
            for (AsciiString c : candidates) {
                if (c == name) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean sameBytes(AsciiString c, byte[] sb, int start, int length) {
        byte[] a = c.array();
        int off = c.arrayOffset();
        for (int i = 0; i < length; i++) {
            if (a[off + i] != sb[start + i]) {
                return false;
            }
        }
        return true;
    }

    private static AsciiString[][] byLength() {
        int max = 0;
        for (String s : SPELLINGS) {
            max = Math.max(max, s.length());
        }
        AsciiString[][] table = new AsciiString[max + 1][];
        for (String s : SPELLINGS) {
            for (String spelling : new String[] {s, s.toLowerCase(java.util.Locale.ROOT)}) {
                AsciiString[] old = table[spelling.length()];
                AsciiString[] grown = old == null ? new AsciiString[1] : java.util.Arrays.copyOf(old, old.length + 1);
                grown[grown.length - 1] = AsciiString.cached(spelling);
                table[spelling.length()] = grown;
            }
        }
        return table;
    }
}
