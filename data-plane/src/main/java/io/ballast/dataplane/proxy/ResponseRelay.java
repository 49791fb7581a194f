package io.ballast.dataplane.proxy;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Carries one backend response to the client: the head without hop-by-hop fields and with this hop's
 * {@code Via} and request id, the body piece by piece as it arrives (never copied, never buffered whole), and
 * the trailers, which reach the client when its framing can carry them (chunked HTTP/1.1, HTTP/2). Written
 * without flushing; the flush comes once per backend read batch. Not thread-safe; one instance per request.
 */
final class ResponseRelay {
    private final DownstreamHandler down;
    private final RequestRecord record;
    private final HttpMethod method;

    ResponseRelay(DownstreamHandler down, RequestRecord record, HttpMethod method) {
        this.down = down;
        this.record = record;
        this.method = method;
    }

    /** Rewrites {@code response} in place (no header copy) and sends it. */
    void head(HttpResponse response, String hop) {
        int status = response.status().code();
        HeaderHygiene.removeHopByHop(response.headers());
        ForwardedHeaders.applyToResponse(hop, record.requestId(), response.headers());
        record.status(status);
        down.sendHead(response, bodiless(status));
    }

    void content(HttpContent content) {
        record.bytesOut += content.content().readableBytes();
        down.sendContent(content);
    }

    /** Counts the last piece and cleans its trailers; {@link #sendLast} sends it. */
    void prepareLast(LastHttpContent last) {
        record.bytesOut += last.content().readableBytes();
        HttpHeaders trailers = last.trailingHeaders();
        if (!trailers.isEmpty()) {
            HeaderHygiene.removeHopByHop(trailers);
        }
    }

    void sendLast(LastHttpContent last) {
        down.sendLast(last);
        down.flush();
    }

    private boolean bodiless(int status) {
        return method == HttpMethod.HEAD || status < 200 || status == 204 || status == 304;
    }
}
