package io.ballast.dataplane.proxy;

import io.ballast.dataplane.tls.TlsAcceptor;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;

/**
 * Sets up every accepted client connection: admission against the connection limit, then the protocol stage.
 *
 * <p>A cleartext listener adds a {@link CleartextProtocolSelector} here. A TLS listener adds, in its place, the
 * SNI gate of its {@link TlsAcceptor} (which refuses an unknown name with {@code unrecognized_name}
 * and then becomes the {@code SslHandler}; the certificate is chosen per handshake by SNI, see
 * {@code tls.SniKeyManager}) followed by a {@link TlsProtocolSelector}, which calls {@link ClientPipelines#http2}
 * for {@code h2} and {@link ClientPipelines#http1} for {@code http/1.1}, both with {@code tls = true}. Nothing
 * after that stage differs between cleartext and TLS. Sharable and thread-safe.
 */
@ChannelHandler.Sharable
final class ClientChannelInitializer extends ChannelInitializer<Channel> {
    private final ClientConnections connections;
    private final ClientPipelines pipelines;
    private final long headTimeoutMillis;
    /** Null on a cleartext listener. */
    private final TlsAcceptor tls;

    ClientChannelInitializer(ClientConnections connections, ClientPipelines pipelines, long headTimeoutMillis, TlsAcceptor tls) {
        this.connections = connections;
        this.pipelines = pipelines;
        this.headTimeoutMillis = headTimeoutMillis;
        this.tls = tls;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (!connections.admit(ch)) {
            return;
        }
        if (tls == null) {
            ch.pipeline().addLast(new CleartextProtocolSelector(pipelines, headTimeoutMillis));
        } else {
            // A client that connects and never completes the handshake is closed after the head timeout too.
            ch.pipeline().addLast(tls.newHandler(headTimeoutMillis), new TlsProtocolSelector(pipelines));
        }
    }
}
