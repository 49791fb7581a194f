package io.ballast.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP/1 connection whose client may still be sending (a refused head, an unread body) without
 * destroying the answer: closing a socket with unread input makes the kernel send a reset, and a reset discards
 * the answer the client has not read yet (RFC 9112 §9.6; Apache's and nginx's "lingering close"). So the answer
 * is flushed, the sending side is shut down (cleartext: a FIN after the answer), and whatever the client still
 * sends is read and dropped, before anything else in the pipeline sees it, until the client closes or
 * {@link #LINGER_MILLIS} have passed. Not thread-safe: one instance per connection, on its event loop.
 */
final class LingeringClose extends ChannelInboundHandlerAdapter {
    static final String NAME = "ballastLingeringClose";
    /** How long a refused client gets to stop sending and read its answer. */
    static final long LINGER_MILLIS = 2_000;

    private LingeringClose() {
    }

    /** Closes {@code ctx}'s connection once {@code flushed} (the last answer's write) is done, lingering first. */
    static void after(ChannelFuture flushed, ChannelHandlerContext ctx) {
        flushed.addListener(f -> start(ctx));
    }

    private static void start(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            return;
        }
        ChannelPipeline p = ctx.pipeline();
        if (p.get(NAME) != null) {
            return;
        }
        // In front of the HTTP handlers (after TLS, which must still decrypt what it reads).
        if (p.get(ConnectionGuard.NAME) != null) {
            p.addBefore(ConnectionGuard.NAME, NAME, new LingeringClose());
            p.remove(ConnectionGuard.NAME);
        } else {
            p.addFirst(NAME, new LingeringClose());
        }
        ctx.channel().config().setAutoRead(true);
        ctx.executor().schedule(() -> {
            ctx.channel().close();
        }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
        if (p.get(SslHandler.class) == null && ctx.channel() instanceof DuplexChannel duplex) {
            duplex.shutdownOutput();
        }
        // With TLS the sending side stays open: a TCP FIN without close_notify would look like a truncation.
        // The client is told Connection: close and closes, or the timer does.
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf) {
            ReferenceCountUtil.release(msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }
}
