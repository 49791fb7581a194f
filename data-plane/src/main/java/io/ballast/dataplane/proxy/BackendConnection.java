package io.ballast.dataplane.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * One keep-alive HTTP/1.1 connection to a backend, last in its pipeline after the client codec. While an
 * {@link Owner} (an attempt) holds it, every event goes to that owner; while it is idle in its
 * {@link BackendConnections} pool, anything the backend sends makes it unusable and it is closed. Confined to
 * its event loop (the event loop of the client connections it serves); not thread-safe.
 */
final class BackendConnection extends ChannelInboundHandlerAdapter {
    /** Whoever uses the connection now. */
    interface Owner {
        void backendRead(Object msg);

        void backendReadComplete();

        void backendWritabilityChanged(boolean writable);

        void backendClosed();
    }

    private final BackendConnections pool;
    private final InetSocketAddress address;
    private Channel channel;
    private Owner owner;
    long idleSinceNanos;
    long idleTimeoutNanos;
    /** Requests this connection carried to their end: above 0 it is a reused keep-alive connection. */
    int served;
    /** What an idle connection is found again by: the address and the pool's backend TLS (null: cleartext). */
    final BackendConnections.IdleKey idleKey;

    BackendConnection(BackendConnections pool, InetSocketAddress address) {
        this(pool, new BackendConnections.IdleKey(address, null));
    }

    BackendConnection(BackendConnections pool, BackendConnections.IdleKey idleKey) {
        this.pool = pool;
        this.address = idleKey.address();
        this.idleKey = idleKey;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    Channel channel() {
        return channel;
    }

    InetSocketAddress address() {
        return address;
    }

    void owner(Owner o) {
        owner = o;
    }

    /** Gives the connection back for the next request. */
    void release(long idleTimeoutNanos) {
        owner = null;
        served++;
        if (!channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
        pool.release(this, idleTimeoutNanos);
    }

    /** Closes the connection: it cannot carry another request (broken, half-sent, or the backend asked to). */
    void discard() {
        owner = null;
        channel.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Owner o = owner;
        if (o != null) {
            o.backendRead(msg);
        } else {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Owner o = owner;
        if (o != null) {
            o.backendReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Owner o = owner;
        if (o != null) {
            o.backendWritabilityChanged(ctx.channel().isWritable());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pool.closed(this);
        Owner o = owner;
        owner = null;
        if (o != null) {
            o.backendClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Reset by the backend, or a codec failure: the owner learns of it from channelInactive.
        ctx.close();
    }
}
