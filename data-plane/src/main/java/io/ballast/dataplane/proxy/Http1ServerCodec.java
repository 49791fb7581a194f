package io.ballast.dataplane.proxy;

import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import java.util.ArrayDeque;

/**
 * Netty's {@code HttpServerCodec} with {@link Http1RequestDecoder} as its decoder (Netty's codec hides its
 * decoder). Like Netty's, it remembers each request's method so that the answer to a HEAD (or a 2xx to CONNECT)
 * is encoded without a body; unlike it, an informational (1xx) answer such as the proxy's own
 * {@code 100 Continue} does not use up the method of the request it precedes. Not thread-safe: one instance per
 * connection.
 */
final class Http1ServerCodec extends CombinedChannelDuplexHandler<Http1RequestDecoder, HttpResponseEncoder> {
    private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>(2);
    private final Http1RequestDecoder decoder;

    Http1ServerCodec(HttpDecoderConfig config) {
        decoder = new Http1RequestDecoder(config, methods);
        init(decoder, new MethodAwareEncoder());
    }

    Http1RequestDecoder decoder() {
        return decoder;
    }

    private final class MethodAwareEncoder extends HttpResponseEncoder {
        private HttpMethod method;

        @Override
        protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
            if (!isAlwaysEmpty && HttpMethod.CONNECT.equals(method) && msg.status().codeClass() == HttpStatusClass.SUCCESS) {
                msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            } else {
                super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
            }
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            boolean informational = msg.status().codeClass() == HttpStatusClass.INFORMATIONAL && msg.status().code() != 101;
            method = informational ? methods.peek() : methods.poll();
            return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
        }
    }
}
