package io.ballast.dataplane.proxy;

import io.ballast.dataplane.metrics.MirrorMetrics.Outcome;
import io.ballast.dataplane.routing.MirrorTarget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The copy of one client request for its route's mirror, collected while the request is read: the body is copied
 * (never retained: the client's buffers go on to the primary backend untouched) up to {@code mirror.maxBody}, and
 * only once the request has been read whole is the copy handed to a {@link MirrorRequest} with the head the primary
 * backend gets. Whatever happens to it, the client's exchange is not told. Holds one place of its loop's
 * {@link Mirrors.Budget} from {@link #begin} to its hand-over or {@link #cancel}. Confined to the exchange's event
 * loop; not thread-safe.
 */
final class MirrorCopy {
    private final Mirrors mirrors;
    private final MirrorTarget target;
    private final EventLoop loop;
    private final ByteBufAllocator alloc;
    private final boolean hasBody;
    private final RequestRecord record;
    private final Mirrors.Budget budget;
    private ByteBuf body;

    private MirrorCopy(Mirrors mirrors, MirrorTarget target, EventLoop loop, ByteBufAllocator alloc, boolean hasBody,
                       RequestRecord record, Mirrors.Budget budget) {
        this.mirrors = mirrors;
        this.target = target;
        this.loop = loop;
        this.alloc = alloc;
        this.hasBody = hasBody;
        this.record = record;
        this.budget = budget;
    }

    /**
     * Starts the copy of a request on a mirroring route, or decides there is none (the draw left it out, its
     * declared body is too long, the loop holds its most copies): then the access log says why and null is returned.
     */
    static MirrorCopy begin(Mirrors mirrors, MirrorTarget target, HttpHeaders headers, boolean hasBody, EventLoop loop,
                            ByteBufAllocator alloc, RequestRecord record) {
        if (!target.selects()) {
            record.mirror("skipped");
            return null;
        }
        long declared = hasBody ? declaredLength(headers) : 0;
        if (declared > target.maxBody() || (hasBody && target.maxBody() == 0)) {
            notSent(mirrors, target, record, Outcome.TOO_LARGE);
            return null;
        }
        Mirrors.Budget budget = mirrors.budget(loop);
        if (!budget.reserve()) {
            notSent(mirrors, target, record, Outcome.BUSY);
            return null;
        }
        MirrorCopy copy = new MirrorCopy(mirrors, target, loop, alloc, hasBody, record, budget);
        if (declared > 0) {
            copy.body = alloc.buffer((int) declared);
        }
        return copy;
    }

    /** Content-Length, or -1 when the body is chunked or the field is absent. */
    private static long declaredLength(HttpHeaders headers) {
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Copies a piece of the request body; false when the body grew past the limit, and the copy is then given up
     * (the piece itself is left to the caller).
     */
    boolean keep(HttpContent piece) {
        ByteBuf bytes = piece.content();
        int n = bytes.readableBytes();
        if (n == 0) {
            return true;
        }
        int have = body == null ? 0 : body.readableBytes();
        if ((long) have + n > target.maxBody()) {
            give(Outcome.TOO_LARGE);
            return false;
        }
        if (body == null) {
            body = alloc.buffer(Math.min(target.maxBody(), Math.max(n, 1024)));
        }
        body.writeBytes(bytes, bytes.readerIndex(), n);
        return true;
    }

    /**
     * The client's request has been read whole: send the copy with {@code upstreamHead}, the head as the primary
     * backend gets it. {@code hadHost}: the client sent a Host (else the copy gets its own backend's, as the
     * primary does).
     */
    void requestEnded(HttpRequest upstreamHead, boolean hadHost) {
        FullHttpRequest copy;
        try {
            copy = copyOf(upstreamHead, hadHost);
        } catch (RuntimeException e) {
            // Whatever goes wrong with the copy stays with the copy: the client's exchange goes on untouched.
            give(Outcome.FAILED);
            return;
        }
        Outcome refused = new MirrorRequest(mirrors, target.pool(), loop, budget, copy, !hadHost).start();
        if (refused == null) {
            record.mirror("sent");
        } else {
            record.mirror(refused.label());
            mirrors.metrics().count(target.pool().name(), refused);
        }
    }

    private FullHttpRequest copyOf(HttpRequest upstreamHead, boolean hadHost) {
        HttpHeaders headers = upstreamHead.headers().copy();
        if (!hadHost) {
            headers.remove(HttpHeaderNames.HOST);
        }
        // The copy is sent whole, so it is framed by its length; trailers (HTTP/2) are not mirrored.
        headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : body;
        if (hasBody) {
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        }
        body = null;
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, upstreamHead.method(), upstreamHead.uri(), content,
                headers, EmptyHttpHeaders.INSTANCE);
    }

    /** The exchange ended before the request was read whole: nothing is sent. */
    void cancel() {
        give(Outcome.CANCELLED);
    }

    private void give(Outcome why) {
        if (body != null) {
            body.release();
            body = null;
        }
        budget.release();
        notSent(mirrors, target, record, why);
    }

    private static void notSent(Mirrors mirrors, MirrorTarget target, RequestRecord record, Outcome why) {
        record.mirror(why.label());
        mirrors.metrics().count(target.pool().name(), why);
    }
}
