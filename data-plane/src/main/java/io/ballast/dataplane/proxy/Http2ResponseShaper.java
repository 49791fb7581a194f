package io.ballast.dataplane.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AsciiString;

/**
 * Shapes what an HTTP/2 backend stream decodes to into what an HTTP/1.1 backend connection gives the
 * {@link Attempt}: a head, then body pieces, then a last piece with the trailers. Netty's conversion hands a
 * response whose HEADERS frame ended the stream over as one {@link FullHttpResponse}; it is split in two, so the
 * relay never writes one object as both head and end. A gRPC "trailers-only" answer (an error without messages:
 * {@code grpc-status} in that one HEADERS frame) keeps its status fields as trailers, where every gRPC client
 * reads them, whichever protocol the client speaks to the proxy. The {@code x-http2-*} fields the conversion adds
 * are dropped. One instance per stream; not thread-safe.
 */
final class Http2ResponseShaper extends ChannelInboundHandlerAdapter {
    private static final AsciiString[] GRPC_STATUS_FIELDS = {
        AsciiString.cached("grpc-status"), AsciiString.cached("grpc-message"), AsciiString.cached("grpc-status-details-bin")};

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpResponse response)) {
            ctx.fireChannelRead(msg);
            return;
        }
        HeaderHygiene.removeHttp2Extensions(response.headers());
        if (!(msg instanceof FullHttpResponse full)) {
            ctx.fireChannelRead(msg);
            return;
        }
        HttpHeaders headers = full.headers();
        HttpHeaders trailers = full.trailingHeaders();
        if (headers.contains(GRPC_STATUS_FIELDS[0])) {
            trailers = new DefaultHttpHeaders(false);
            for (AsciiString name : GRPC_STATUS_FIELDS) {
                String value = headers.get(name);
                if (value != null) {
                    trailers.set(name, value);
                    headers.remove(name);
                }
            }
        }
        ctx.fireChannelRead(new DefaultHttpResponse(full.protocolVersion(), full.status(), headers));
        ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), trailers));
    }
}
