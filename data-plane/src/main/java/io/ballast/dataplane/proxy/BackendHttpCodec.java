package io.ballast.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.util.AsciiString;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The codec of a backend connection: Netty's {@link HttpClientCodec} as the proxy configures it (no
 * failure on a missing response, no HTTP after a CONNECT), rebuilt because Netty's hides its decoder, and
 * the decoder is where each response field name is made: a name the backend spells like one of the
 * {@link KnownHeaderNames} (almost all of them: {@code Content-Type}, {@code Date}, {@code Server} …) is that
 * shared constant instead of a new string and byte array per field, and so are the common status-line words
 * ({@link KnownWords}). As in Netty's, each request's method is
 * queued so the answer to a HEAD, and a 200 to a CONNECT, is decoded without a body; unlike Netty's, an
 * informational (1xx) answer does not use up the method of the request it precedes (as {@link Http1ServerCodec}
 * does on the client side), so a HEAD answered with 103 then 200 is still framed as bodiless. Not thread-safe:
 * one instance per connection.
 */
final class BackendHttpCodec extends CombinedChannelDuplexHandler<HttpResponseDecoder, HttpRequestEncoder> {
    private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>(2);
    /** After a successful CONNECT the connection is a tunnel: bytes pass through undecoded. */
    private boolean tunnel;

    BackendHttpCodec(HttpDecoderConfig config) {
        init(new Decoder(config), new Encoder());
    }

    private final class Encoder extends HttpRequestEncoder {
        @Override
        protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
            if (tunnel) {
                out.add(msg);
                return;
            }
            if (msg instanceof HttpRequest request) {
                methods.offer(request.method());
            }
            super.encode(ctx, msg, out);
        }
    }

    private final class Decoder extends HttpResponseDecoder {
        Decoder(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            if (tunnel) {
                int readable = actualReadableBytes();
                if (readable > 0) {
                    out.add(buffer.readBytes(readable));
                }
                return;
            }
            super.decode(ctx, buffer, out);
        }

        @Override
        protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
            AsciiString known = KnownHeaderNames.find(sb, start, length);
            return known != null ? known : super.splitHeaderName(sb, start, length);
        }

        @Override
        protected String splitFirstWordInitialLine(byte[] sb, int start, int length) {
            String known = KnownWords.find(KnownWords.VERSIONS, sb, start, length);
            return known != null ? known : super.splitFirstWordInitialLine(sb, start, length);
        }

        @Override
        protected String splitSecondWordInitialLine(byte[] sb, int start, int length) {
            String known = KnownWords.find(KnownWords.STATUS_CODES, sb, start, length);
            return known != null ? known : super.splitSecondWordInitialLine(sb, start, length);
        }

        @Override
        protected String splitThirdWordInitialLine(byte[] sb, int start, int length) {
            String known = KnownWords.find(KnownWords.REASONS, sb, start, length);
            return known != null ? known : super.splitThirdWordInitialLine(sb, start, length);
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            // Polled for every final answer, so requests and responses stay paired; 1xx answers pair with nothing.
            HttpResponse response = (HttpResponse) msg;
            if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(msg);
            }
            HttpMethod method = methods.poll();
            if (HttpMethod.HEAD.equals(method)) {
                return true;
            }
            if (HttpMethod.CONNECT.equals(method) && response.status().code() == 200) {
                tunnel = true;
                methods.clear();
                return true;
            }
            return super.isContentAlwaysEmpty(msg);
        }
    }
}
