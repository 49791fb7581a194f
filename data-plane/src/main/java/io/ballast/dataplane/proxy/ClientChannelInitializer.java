package io.ballast.dataplane.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;

/**
 * Sets up every accepted client connection: admission against the connection limit, then the protocol stage.
 *
 * <p><b>Where TLS goes.</b> A cleartext listener adds a {@link CleartextProtocolSelector} here. A TLS listener
 * adds, in its place, Netty's {@code SniHandler} (certificate by SNI) followed by an
 * {@code ApplicationProtocolNegotiationHandler} whose {@code configurePipeline} calls
 * {@link ClientPipelines#http2} for {@code h2} and {@link ClientPipelines#http1} for {@code http/1.1}, both
 * with {@code tls = true} (for {@code X-Forwarded-Proto} and secure cookies). Nothing after that stage differs
 * between cleartext and TLS. Sharable and thread-safe.
 */
@ChannelHandler.Sharable
final class ClientChannelInitializer extends ChannelInitializer<Channel> {
    private final ClientConnections connections;
    private final ClientPipelines pipelines;
    private final long headTimeoutMillis;

    ClientChannelInitializer(ClientConnections connections, ClientPipelines pipelines, long headTimeoutMillis) {
        this.connections = connections;
        this.pipelines = pipelines;
        this.headTimeoutMillis = headTimeoutMillis;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (!connections.admit(ch)) {
            return;
        }
        ch.pipeline().addLast(new CleartextProtocolSelector(pipelines, headTimeoutMillis));
    }
}
