package io.ballast.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tells HTTP/2 with prior knowledge (RFC 9113 §3.3: the connection starts with the client preface) from
 * HTTP/1.x on a cleartext connection, from as few bytes as it takes, and replaces itself with the matching
 * pipeline. The HTTP/1.1 {@code Upgrade: h2c} route is not offered (see {@link RequestHeadChecks}).
 * Not thread-safe: one instance per connection.
 */
final class CleartextProtocolSelector extends ByteToMessageDecoder {
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final ClientPipelines pipelines;
    private final long headTimeoutMillis;
    private ScheduledFuture<?> deadline;

    CleartextProtocolSelector(ClientPipelines pipelines, long headTimeoutMillis) {
        this.pipelines = pipelines;
        this.headTimeoutMillis = headTimeoutMillis;
    }

    /** A client that connects and never says anything is closed after the head timeout. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> {
            ctx.close();
        }, headTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        deadline.cancel(false);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
        boolean prefix = ByteBufUtil.equals(in, in.readerIndex(), PREFACE, PREFACE.readerIndex(), n);
        if (prefix && n < PREFACE.readableBytes()) {
            return;
        }
        if (prefix) {
            pipelines.http2(ctx.pipeline(), false);
        } else {
            pipelines.http1(ctx.pipeline(), false);
        }
        // Removing a decoder hands the bytes it holds to the handlers just added.
        ctx.pipeline().remove(this);
    }
}
