package io.ballast.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.ReferenceCountUtil;

/**
 * The bytes of a WebSocket connection after the backend answered 101: spliced both ways without looking at
 * them (frames are the endpoints' business), with the same back-pressure and flush-per-read-batch as HTTP.
 * When either side closes the other is closed and the exchange's lifecycle ends (its in-flight slot is held
 * for as long as the tunnel lives). Confined to the client connection's event loop; not thread-safe.
 */
final class WebSocketTunnel implements BackendConnection.Owner {
    /** RFC 6455 §5.5.1 close frame, status 1001 "going away", unmasked (server to client). */
    private static final byte[] GOING_AWAY = {(byte) 0x88, 0x02, 0x03, (byte) 0xE9};

    private final Channel client;
    private final BackendConnection backend;
    private final ExchangeLifecycle lifecycle;
    private boolean closed;

    WebSocketTunnel(Channel client, BackendConnection backend, ExchangeLifecycle lifecycle) {
        this.client = client;
        this.backend = backend;
        this.lifecycle = lifecycle;
        backend.owner(this);
        // What follows the 101 is WebSocket bytes, not HTTP; bytes the codec already holds come through as they are.
        if (backend.channel().pipeline().get(BackendHttpCodec.class) != null) {
            backend.channel().pipeline().remove(BackendHttpCodec.class);
        }
        backend.channel().config().setAutoRead(true);
    }

    void fromClient(ByteBuf bytes) {
        Channel b = backend.channel();
        b.write(bytes, b.voidPromise());
    }

    void clientReadComplete() {
        backend.channel().flush();
    }

    void clientWritabilityChanged(boolean writable) {
        backend.channel().config().setAutoRead(writable);
    }

    void clientClosed() {
        close();
    }

    @Override
    public void backendRead(Object msg) {
        if (msg instanceof ByteBuf bytes) {
            client.write(bytes, client.voidPromise());
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void backendReadComplete() {
        client.flush();
    }

    @Override
    public void backendWritabilityChanged(boolean writable) {
        client.config().setAutoRead(writable);
    }

    @Override
    public void backendClosed() {
        close();
    }

    /** The proxy is stopping: tell the client with a close frame, then close both sides. */
    void goingAway() {
        if (!closed) {
            client.writeAndFlush(Unpooled.wrappedBuffer(GOING_AWAY)).addListener(ChannelFutureListener.CLOSE);
            backend.discard();
        }
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        backend.discard();
        lifecycle.end();
    }
}
