package io.ballast.dataplane.proxy;

/**
 * The words of HTTP/1 start lines that nearly every message uses ({@code GET}, {@code HTTP/1.1}, {@code 200},
 * {@code OK} …), as shared strings, so the decoders do not make a new string and byte array for each of them.
 * A word matches only byte for byte (case included); anything else is left to Netty to make. Immutable and
 * thread-safe.
 */
final class KnownWords {
    static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"};
    static final String[] VERSIONS = {"HTTP/1.1", "HTTP/1.0"};
    static final String[] STATUS_CODES = {"200", "204", "206", "301", "302", "304", "307", "308", "400", "401", "403",
        "404", "500", "502", "503", "504"};
    static final String[] REASONS = {"OK", "No Content", "Partial Content", "Moved Permanently", "Found",
        "Not Modified", "Temporary Redirect", "Permanent Redirect", "Bad Request", "Unauthorized", "Forbidden",
        "Not Found", "Internal Server Error", "Bad Gateway", "Service Unavailable", "Gateway Timeout"};

    private KnownWords() {
    }

    /** The one of {@code words} spelled exactly as {@code length} bytes of {@code sb} from {@code start}, else null. */
    static String find(String[] words, byte[] sb, int start, int length) {
        for (String w : words) {
            if (w.length() == length && same(w, sb, start)) {
                return w;
            }
        }
        return null;
    }

    private static boolean same(String w, byte[] sb, int start) {
        for (int i = 0; i < w.length(); i++) {
            if (w.charAt(i) != (char) (sb[start + i] & 0xff)) {
                return false;
            }
        }
        return true;
    }
}
