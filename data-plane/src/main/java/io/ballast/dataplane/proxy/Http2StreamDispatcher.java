package io.ballast.dataplane.proxy;

import io.ballast.dataplane.lifecycle.DrainState;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * Turns the frames of an HTTP/2 connection into the HTTP/1-style objects the forwarding path reads, per stream,
 * on the connection's pipeline: a request's HEADERS (checked by {@link Http2RequestCheck} first) become an
 * {@code HttpRequest} for a new {@link DownstreamHandler}, DATA becomes body content, trailers a
 * {@code LastHttpContent}, and the stream's close ends its exchange. The conversion is the one Netty's
 * {@code Http2StreamFrameToHttpObjectCodec} makes. A stream whose input fails the checks or the conversion is reset
 * with the code {@link Http2StreamResets} chooses, as its own child channel's pipeline would have done.
 *
 * <p>Not thread-safe: one instance per connection, on its event loop.
 */
final class Http2StreamDispatcher extends Http2FrameAdapter {
    private final RequestRouter router;
    private final DrainState drain;
    private final boolean tls;
    private final ExchangeLimit exchanges;
    private Http2ServerConnection handler;
    private Http2Connection.PropertyKey key;

    Http2StreamDispatcher(RequestRouter router, DrainState drain, boolean tls, ExchangeLimit exchanges) {
        this.router = router;
        this.drain = drain;
        this.tls = tls;
        this.exchanges = exchanges;
    }

    void attach(Http2ServerConnection connectionHandler) {
        this.handler = connectionHandler;
        Http2Connection connection = connectionHandler.connection();
        key = connection.newKey();
        connection.addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                DownstreamHandler down = stream.removeProperty(key);
                if (down != null) {
                    down.streamClosed();
                }
            }
        });
        connection.remote().flowController().listener(stream -> {
            DownstreamHandler down = stream.getProperty(key);
            if (down != null) {
                down.streamWritabilityChanged();
            }
        });
    }

    /** The connection's writability changed: every stream's changes with it. */
    void connectionWritabilityChanged() {
        try {
            handler.connection().forEachActiveStream(stream -> {
                DownstreamHandler down = stream.getProperty(key);
                if (down != null) {
                    down.streamWritabilityChanged();
                }
                return true;
            });
        } catch (Http2Exception e) {
            // The visitor throws nothing.
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency, short weight,
                              boolean exclusive, int padding, boolean endOfStream) {
        onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean endOfStream) {
        Http2Stream stream = handler.connection().stream(streamId);
        if (stream == null) {
            return;
        }
        DownstreamHandler down = stream.getProperty(key);
        if (down == null) {
            Http2StreamOutput out = new Http2StreamOutput(handler, ctx, stream);
            if (Http2RequestCheck.requestViolation(headers) != null) {
                out.reset(Http2Error.PROTOCOL_ERROR);
                return;
            }
            down = new DownstreamHandler(router, drain, tls, exchanges, ctx, out);
            stream.setProperty(key, down);
            HttpObject request;
            try {
                request = request(streamId, headers, endOfStream, ctx);
            } catch (Http2Exception | RuntimeException e) {
                down.exceptionCaught(ctx, e);
                return;
            }
            deliver(ctx, down, request);
            return;
        }
        // The decoder allows a second HEADERS only as trailers that end the stream.
        if (Http2RequestCheck.trailerViolation(headers) != null) {
            down.streamOutput().reset(Http2Error.PROTOCOL_ERROR);
            return;
        }
        LastHttpContent trailers = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, true);
        try {
            HttpConversionUtil.addHttp2ToHttpHeaders(streamId, headers, trailers.trailingHeaders(), HttpVersion.HTTP_1_1, true, true);
        } catch (Http2Exception | RuntimeException e) {
            trailers.release();
            down.exceptionCaught(ctx, e);
            return;
        }
        deliver(ctx, down, trailers);
    }

    /** The request head as the codec made it: a body without a content-length is marked chunked for HTTP/1. */
    private static HttpObject request(int streamId, Http2Headers headers, boolean endOfStream, ChannelHandlerContext ctx) throws Http2Exception {
        if (endOfStream) {
            return HttpConversionUtil.toFullHttpRequest(streamId, headers, ctx.alloc(), true);
        }
        HttpRequest request = HttpConversionUtil.toHttpRequest(streamId, headers, true);
        if (!HttpUtil.isContentLengthSet(request)) {
            request.headers().add(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        return request;
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
        int bytes = data.readableBytes() + padding;
        Http2Stream stream = handler.connection().stream(streamId);
        DownstreamHandler down = stream == null ? null : stream.getProperty(key);
        if (down == null) {
            return bytes;
        }
        HttpObject content = endOfStream ? new DefaultLastHttpContent(data.retain(), true) : new DefaultHttpContent(data.retain());
        deliver(ctx, down, content);
        return down.streamOutput().consumed(bytes);
    }

    private void deliver(ChannelHandlerContext ctx, DownstreamHandler down, HttpObject msg) {
        handler.readInBatch(down);
        try {
            down.channelRead(ctx, msg);
        } catch (RuntimeException e) {
            down.exceptionCaught(ctx, e);
        }
    }
}
