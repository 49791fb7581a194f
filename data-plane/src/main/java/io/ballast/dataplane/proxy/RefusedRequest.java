package io.ballast.dataplane.proxy;

/**
 * Why an HTTP/1 request (or its body) was refused before anything acted on it, carried as the cause of a failed
 * decoder result so that {@link RequestRouter} answers with this status and problem. The instances are constants
 * without a stack trace: refusing costs no allocation. Immutable and thread-safe.
 */
final class RefusedRequest extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    static final RefusedRequest CHUNK_SIZE_TOO_LARGE = bad("bad-chunk", "The chunk size is longer or larger than this proxy accepts.");
    static final RefusedRequest MALFORMED_CHUNK = bad("bad-chunk", "The chunked request body is malformed.");
    static final RefusedRequest DUPLICATE_CONTENT_LENGTH = bad("bad-request", "The request has more than one Content-Length field.");
    static final RefusedRequest EMPTY_HEADER_NAME = bad("bad-request", "A header field has an empty name.");
    static final RefusedRequest BAD_TARGET = bad("bad-request", "The request target contains a character that is not allowed.");
    static final RefusedRequest BAD_VERSION = bad("bad-request", "The request line does not end with a valid HTTP version.");
    static final RefusedRequest BAD_HOST = bad("bad-host", "The Host header is not a valid host[:port].");
    static final RefusedRequest HOST_MISMATCH = bad("bad-host", "The host of the absolute-form request target differs from the Host header.");
    static final RefusedRequest BAD_AUTHORITY = bad("bad-request", "The absolute-form request target has no valid http(s) authority.");
    static final RefusedRequest VERSION_NOT_SUPPORTED = new RefusedRequest(505, "http-version-not-supported",
            "HTTP version not supported", "This proxy speaks HTTP/1.0, HTTP/1.1 and HTTP/2.");

    final int status;
    final String type;
    final String title;
    final String detail;

    private RefusedRequest(int status, String type, String title, String detail) {
        super(detail, null);
        this.status = status;
        this.type = type;
        this.title = title;
        this.detail = detail;
    }

    private static RefusedRequest bad(String type, String detail) {
        return new RefusedRequest(400, type, "Bad request", detail);
    }

    /** The refusal behind a failed decoder result: {@code cause} itself, or a malformed chunked body. */
    static RefusedRequest of(Throwable cause) {
        return cause instanceof RefusedRequest r ? r : MALFORMED_CHUNK;
    }

    /** Shared constants: a stack trace would say nothing and cost a walk of the stack. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
