package io.ballast.dataplane.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the HTTP/1.1 requests in what a backend connection received, by their framing (Content-Length or
 * chunked): a request smuggled behind another on the same connection counts, whatever its bytes say.
 * Bytes that do not parse as a request count as one more, so garbage never passes as "nothing forwarded".
 */
final class Http1Messages {
    private Http1Messages() {
    }

    /** The request heads (lower case) in every connection's bytes, in order. */
    static List<String> heads(List<String> connections) {
        List<String> heads = new ArrayList<>();
        for (String c : connections) {
            heads(c, heads);
        }
        return heads;
    }

    private static void heads(String raw, List<String> out) {
        int at = 0;
        while (at < raw.length()) {
            int headEnd = raw.indexOf("\r\n\r\n", at);
            if (headEnd < 0) {
                out.add(raw.substring(at).toLowerCase(Locale.ROOT));
                return;
            }
            String head = raw.substring(at, headEnd + 2).toLowerCase(Locale.ROOT);
            out.add(head);
            at = headEnd + 4;
            if (head.contains("\r\ntransfer-encoding: chunked\r\n")) {
                at = afterChunks(raw, at);
                if (at < 0) {
                    return;
                }
            } else {
                int cl = head.indexOf("\r\ncontent-length: ");
                if (cl >= 0) {
                    int end = head.indexOf("\r\n", cl + 2);
                    at += Integer.parseInt(head.substring(cl + 18, end).trim());
                }
            }
        }
    }

    /** Where the chunked body starting at {@code at} ends, or -1 when it is cut short. */
    private static int afterChunks(String raw, int at) {
        while (true) {
            int lineEnd = raw.indexOf("\r\n", at);
            if (lineEnd < 0) {
                return -1;
            }
            String size = raw.substring(at, lineEnd);
            int semi = size.indexOf(';');
            long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            at = lineEnd + 2;
            if (n == 0) {
                int trailersEnd = raw.startsWith("\r\n", at) ? at : raw.indexOf("\r\n\r\n", at);
                return trailersEnd < 0 ? -1 : trailersEnd + (trailersEnd == at ? 2 : 4);
            }
            at += (int) n + 2;
            if (at > raw.length()) {
                return -1;
            }
        }
    }
}
