package io.ballast.dataplane.proxy;

import io.netty.handler.codec.http2.Http2HeadersEncoder;

/**
 * Tells the HPACK encoder of client HTTP/2 connections which response headers never to add to the dynamic
 * table: those whose value is new on every response, today {@code X-Request-Id}. Indexing such a value buys
 * nothing (it never repeats) and costs on every response: an insertion, and the eviction of an older entry, often
 * one that does repeat ({@code server}, {@code via}, {@code content-type}), which then has to be inserted again.
 * Profiles of the h2c path showed that churn in {@code HpackEncoder} at about a tenth of the event loop's time.
 * Sent as "literal never indexed" (RFC 7541 §6.2.3). Stateless and thread-safe.
 */
final class UniqueValueHeaders implements Http2HeadersEncoder.SensitivityDetector {
    static final UniqueValueHeaders INSTANCE = new UniqueValueHeaders();

    private UniqueValueHeaders() {
    }

    @Override
    public boolean isSensitive(CharSequence name, CharSequence value) {
        // HTTP/2 names are lower case; the length check keeps the common miss to one comparison.
        return name.length() == ForwardedHeaders.X_REQUEST_ID.length()
                && ForwardedHeaders.X_REQUEST_ID.contentEqualsIgnoreCase(name);
    }
}
