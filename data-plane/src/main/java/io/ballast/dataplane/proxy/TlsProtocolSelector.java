package io.ballast.dataplane.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;

/**
 * After the TLS handshake, appends the pipeline of the protocol ALPN chose: {@code h2} or {@code http/1.1}
 * (also a client that offers no ALPN). From here on TLS and cleartext connections share the forwarding path.
 * Not thread-safe: one instance per connection.
 */
final class TlsProtocolSelector extends ApplicationProtocolNegotiationHandler {
    private final ClientPipelines pipelines;

    TlsProtocolSelector(ClientPipelines pipelines) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.pipelines = pipelines;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            pipelines.http2(ctx.pipeline(), true);
        } else {
            pipelines.http1(ctx.pipeline(), true);
        }
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        // A failed handshake (no certificate for the name, no shared cipher) is the client's problem: close quietly.
        ctx.close();
    }
}
