package io.ballast.dataplane.proxy;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayDeque;

/**
 * The pieces of a request body kept (as retained duplicates: no copy) so that a retry can send the request
 * again, up to {@link #LIMIT} bytes. Exists only for requests that may be retried and have a body; a request
 * that declares a longer body gets none, and one that streams past the limit loses it (and with it its
 * retries). Confined to the exchange's event loop; not thread-safe.
 */
final class RequestReplay {
    /** Bodies up to this size are kept for a retry: enough for API calls, bounded per request. */
    static final int LIMIT = 64 * 1024;

    private final ArrayDeque<HttpContent> pieces = new ArrayDeque<>(4);
    private long bytes;

    /** Null when the request declares a body longer than {@link #LIMIT}. */
    static RequestReplay forRequest(HttpHeaders headers) {
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > LIMIT) {
                    return null;
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return new RequestReplay();
    }

    /**
     * Keeps a duplicate of {@code piece}; false (and everything released) once past the limit, unless
     * {@code needed} (a retry waits for the whole copy).
     */
    boolean keep(HttpContent piece, boolean needed) {
        bytes += piece.content().readableBytes();
        if (bytes > LIMIT && !needed) {
            release();
            return false;
        }
        pieces.add(piece.retainedDuplicate());
        return true;
    }

    /** Sends what was kept so far to a new attempt (each piece duplicated again, so it can be sent once more). */
    void writeTo(Attempt attempt) {
        for (HttpContent piece : pieces) {
            attempt.write(piece.retainedDuplicate());
        }
    }

    void release() {
        HttpContent piece;
        while ((piece = pieces.poll()) != null) {
            piece.release();
        }
    }
}
