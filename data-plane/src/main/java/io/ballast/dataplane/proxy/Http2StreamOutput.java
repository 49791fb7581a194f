package io.ballast.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * One HTTP/2 stream as the {@link DownstreamHandler} of its exchange sees it: response objects in the HTTP/1 style
 * go out as HEADERS and DATA frames of this stream (the conversion Netty's {@code Http2StreamFrameToHttpObjectCodec}
 * makes, without a child channel per stream), its flow-control window says whether it is writable, and pausing
 * holds back the flow-control credit of what the client sent, so the client stops sending this stream's body while
 * the backend cannot take it. Writes after the stream closed or ended are dropped (the client is gone or reset it).
 *
 * <p>Confined to the connection's event loop; not thread-safe.
 */
final class Http2StreamOutput {
    private final Http2ConnectionHandler connection;
    private final ChannelHandlerContext ctx;
    private final Http2Stream stream;
    private boolean ended;
    private boolean paused;
    /** Body bytes read while paused whose flow-control credit the client has not been given back yet. */
    private int unconsumed;

    Http2StreamOutput(Http2ConnectionHandler connection, ChannelHandlerContext ctx, Http2Stream stream) {
        this.connection = connection;
        this.ctx = ctx;
        this.stream = stream;
    }

    int id() {
        return stream.id();
    }

    /** Writes (without flushing) one response object; releases it. */
    void write(HttpObject msg) {
        try {
            if (ended || !open()) {
                return;
            }
            if (msg instanceof HttpResponse response) {
                if (response.status().code() == HttpResponseStatus.CONTINUE.code()) {
                    headers(HttpConversionUtil.toHttp2Headers(response, true), false);
                    return;
                }
                boolean nothingMore = msg instanceof FullHttpMessage full && !full.content().isReadable() && full.trailingHeaders().isEmpty();
                headers(HttpConversionUtil.toHttp2Headers(response, true), nothingMore);
            }
            if (msg instanceof LastHttpContent last) {
                boolean trailers = !last.trailingHeaders().isEmpty();
                // A bare end of body still has to end the stream: an empty DATA frame with END_STREAM.
                if (last.content().isReadable() || !(last instanceof FullHttpMessage) && !trailers) {
                    data(last.content().retain(), !trailers);
                }
                if (trailers) {
                    headers(HttpConversionUtil.toHttp2Headers(last.trailingHeaders(), true), true);
                }
            } else if (msg instanceof HttpContent content) {
                data(content.content().retain(), false);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void headers(io.netty.handler.codec.http2.Http2Headers headers, boolean endStream) {
        ended = endStream;
        connection.encoder().writeHeaders(ctx, stream.id(), headers, 0, endStream, ctx.newPromise());
    }

    private void data(ByteBuf bytes, boolean endStream) {
        ended = endStream;
        connection.encoder().writeData(ctx, stream.id(), bytes, 0, endStream, ctx.newPromise());
    }

    private boolean open() {
        Http2Stream.State s = stream.state();
        return s == Http2Stream.State.OPEN || s == Http2Stream.State.HALF_CLOSED_REMOTE;
    }

    /** Writes what the flow controller holds and flushes (batched per event-loop turn further down the pipeline). */
    void flush() {
        connection.flush(ctx);
    }

    /** RST_STREAM with {@code code}: the stream closes, which ends its exchange. */
    void reset(Http2Error code) {
        if (stream.state() == Http2Stream.State.CLOSED) {
            return;
        }
        ended = true;
        connection.resetStream(ctx, stream.id(), code.code(), ctx.newPromise());
        connection.flush(ctx);
    }

    /** Whether more response bytes may be queued now: the connection is writable and the stream has window left. */
    boolean isWritable() {
        return ctx.channel().isWritable() && connection.connection().remote().flowController().isWritable(stream);
    }

    /**
     * Accounts for {@code bytes} of request body just read: the number of bytes to give the client credit for now,
     * which is all of them unless reading is paused.
     */
    int consumed(int bytes) {
        if (!paused) {
            return bytes;
        }
        unconsumed += bytes;
        return 0;
    }

    /** Pauses (or resumes) the client's sending of this stream's body; resuming returns the credit held back. */
    void pauseReading(boolean on) {
        paused = on;
        if (on || unconsumed == 0) {
            return;
        }
        int n = unconsumed;
        unconsumed = 0;
        if (stream.state() == Http2Stream.State.CLOSED) {
            return;
        }
        try {
            if (connection.decoder().flowController().consumeBytes(stream, n)) {
                connection.flush(ctx);
            }
        } catch (Http2Exception e) {
            reset(Http2Error.INTERNAL_ERROR);
        }
    }
}
