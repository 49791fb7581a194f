package io.ballast.dataplane.tls;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;

/**
 * The first stage of a TLS connection: reads the ClientHello's server name and, when no certificate of the
 * {@link CertificateStore} covers it and there is no {@code default} certificate, answers the fatal
 * {@code unrecognized_name} alert (RFC 6066 §3) and closes; otherwise it puts the {@link SslHandler} in its
 * place, which replays the buffered ClientHello. Neither engine sends that alert itself when the key manager
 * finds no certificate (they fail with {@code handshake_failure} or {@code internal_error}), so a client
 * could not tell "wrong name" from "broken server". Not thread-safe: one instance per connection.
 */
final class SniGate extends AbstractSniHandler<Boolean> {
    /** A plaintext alert record: content type 21, TLS 1.2 record version, length 2, fatal (2), unrecognized_name (112). */
    private static final byte[] UNRECOGNIZED_NAME = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x70};

    private final CertificateStore store;
    private final SslContext context;

    SniGate(CertificateStore store, SslContext context, long handshakeTimeoutMillis) {
        super(handshakeTimeoutMillis);
        this.store = store;
        this.context = context;
    }

    @Override
    protected Future<Boolean> lookup(ChannelHandlerContext ctx, String hostname) {
        return ctx.executor().newSucceededFuture(store.current().select(hostname).isPresent());
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, String hostname, Future<Boolean> covered) {
        if (!covered.isSuccess()) {
            ctx.close();
        } else if (covered.getNow()) {
            SslHandler handler = context.newHandler(ctx.alloc());
            handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
            ctx.pipeline().replace(this, "tls", handler);
        } else {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(UNRECOGNIZED_NAME)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Not a TLS ClientHello (or a malformed one): nothing to answer in TLS, so just close.
        ctx.close();
    }
}
