package io.ballast.dataplane.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * One keep-alive HTTP/1.1 connection to a backend, last in its pipeline after the client codec. While an
 * {@link Owner} (an attempt) holds it, every event goes to that owner; while it is idle in its
 * {@link BackendConnections} pool, anything the backend sends makes it unusable and it is closed. Or, for a pool
 * with {@code protocol: h2c | h2}, one HTTP/2 stream of an {@link UpstreamHttp2Connection} (made by
 * {@link #forStream}): the same events in the same HTTP/1-style objects, but single use, so a release closes it
 * rather than keeping it. Confined to its event loop (the event loop of the client connections it serves); not
 * thread-safe.
 */
final class BackendConnection extends ChannelInboundHandlerAdapter {
    /** Whoever uses the connection now. */
    interface Owner {
        void backendRead(Object msg);

        void backendReadComplete();

        void backendWritabilityChanged(boolean writable);

        void backendClosed();
    }

    /** Where a released connection goes back to; null for an HTTP/2 stream, which is never reused. */
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
    /**
     * HTTP/2 only: the backend said it did not process this stream (RST_STREAM with REFUSED_STREAM, or a GOAWAY
     * whose last stream id is below it), so the request may be retried as {@code refused-stream} (RFC 9113 §8.7).
     */
    private boolean refusedStream;

    BackendConnection(BackendConnections pool, InetSocketAddress address) {
        this(pool, new BackendConnections.IdleKey(address, null));
    }

    BackendConnection(BackendConnections pool, BackendConnections.IdleKey idleKey) {
        this.pool = pool;
        this.address = idleKey.address();
        this.idleKey = idleKey;
    }

    /** One stream of an HTTP/2 connection to the backend at {@code key}; closed (not pooled) when released. */
    static BackendConnection forStream(BackendConnections.IdleKey key) {
        return new BackendConnection(null, key);
    }

    boolean refusedStream() {
        return refusedStream;
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
        if (pool == null) {
            // An HTTP/2 stream that ended both ways is closed already; this only makes sure.
            channel.close();
            return;
        }
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
        if (pool != null) {
            pool.closed(this);
        }
        Owner o = owner;
        owner = null;
        if (o != null) {
            o.backendClosed();
        }
    }

    /** HTTP/2: a reset or GOAWAY reaches the stream as an event just before the stream closes. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof Http2ResetFrame reset) {
            refusedStream = reset.errorCode() == Http2Error.REFUSED_STREAM.code();
        } else if (evt instanceof Http2GoAwayFrame) {
            // Only streams above the GOAWAY's last stream id get it: the backend never processed them.
            refusedStream = true;
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Reset by the backend, or a codec failure: the owner learns of it from channelInactive.
        ctx.close();
    }
}
