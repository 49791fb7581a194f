package io.ballast.model;

/**
 * A route's request mirroring ({@code mirror}): a copy of a share of its requests goes to another pool, whose
 * answer is discarded. The copy is sent once the client's request has been read whole, with the method, path and
 * headers the primary backend gets (after rewrites and header edits); it never delays or changes the client's
 * answer.
 *
 * @param pool    the pool that receives the copies
 * @param percent the share of the route's requests that are copied [100; 0-100, 0 copies none]
 * @param maxBody the largest request body copied, in bytes; a request with a longer body is not mirrored at all
 *                (the access log says {@code too-large}) [65536; 0-1048576, 0 mirrors only requests without a body]
 */
public record Mirror(String pool, Integer percent, Integer maxBody) {
    public static final int DEFAULT_PERCENT = 100;
    public static final int DEFAULT_MAX_BODY = 64 * 1024;
    public static final int MAX_MAX_BODY = 1024 * 1024;

    public Mirror {
        percent = percent == null ? DEFAULT_PERCENT : percent;
        maxBody = maxBody == null ? DEFAULT_MAX_BODY : maxBody;
    }

    public static Mirror of(String pool, int percent) {
        return new Mirror(pool, percent, null);
    }
}
