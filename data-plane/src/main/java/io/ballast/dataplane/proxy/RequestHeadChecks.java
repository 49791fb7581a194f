package io.ballast.dataplane.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sits right after the HTTP/1 server codec and sees every decoded request head before the proxy does. Refuses
 * the framing Netty lets through but a proxy must not pass on, an unsupported version (505), an invalid Host or an
 * absolute-form target naming another host; marks a request that had Transfer-Encoding and Content-Length as the
 * connection's last; removes {@code Upgrade: h2c} so the request is served as plain HTTP/1.1, and tells the
 * {@link ConnectionGuard} where each exchange begins and ends.
 *
 * <p>A refused request is marked with a failed decoder result (a {@link RefusedRequest} says which answer),
 * which {@link RequestRouter} answers and closes; a malformed body arrives as a failed content, which the exchange
 * answers. Either way everything the client sent after it on the connection is dropped, so nothing smuggled in
 * its body can be read as a request. Not thread-safe: one instance per connection, on its event loop.
 */
final class RequestHeadChecks extends ChannelDuplexHandler {
    private final ConnectionGuard guard;
    private final Http1RequestDecoder decoder;
    private boolean refusing;
    private boolean lastOnConnection;
    private boolean informational;

    RequestHeadChecks(ConnectionGuard guard, Http1RequestDecoder decoder) {
        this.guard = guard;
        this.decoder = decoder;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refusing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            guard.headDecoded();
            if (!request.decoderResult().isSuccess()) {
                // Netty's stand-in for a request line it could not read says HTTP/1.0; the answer says HTTP/1.1.
                if (request instanceof FullHttpRequest || request.protocolVersion() != HttpVersion.HTTP_1_0) {
                    request.setProtocolVersion(HttpVersion.HTTP_1_1);
                }
                if (msg instanceof LastHttpContent) {
                    guard.requestEnded();
                }
                refusing = true;
                ctx.fireChannelRead(msg);
                return;
            }
            String problem = framingProblem(request);
            RefusedRequest refused = problem == null ? headProblem(request) : null;
            if (problem != null || refused != null) {
                refusing = true;
                if (refused == RefusedRequest.VERSION_NOT_SUPPORTED) {
                    request.setProtocolVersion(HttpVersion.HTTP_1_1);
                }
                request.setDecoderResult(DecoderResult.failure(refused != null ? refused : new IllegalArgumentException(problem)));
                ctx.fireChannelRead(msg);
                return;
            }
            if (decoder.takeAmbiguousFraming()) {
                // RFC 9112 §6.1: Transfer-Encoding and Content-Length together (Netty already dropped the latter):
                // answer, then close; whatever follows the chunked body is never read as a request.
                request.headers().add(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                lastOnConnection = true;
            }
            refuseH2cUpgrade(request.headers());
        }
        if (msg instanceof HttpContent content && !content.decoderResult().isSuccess()) {
            // A malformed chunked body: the exchange answers 400 (DownstreamHandler); nothing after it is read.
            refusing = true;
            guard.requestEnded();
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof LastHttpContent) {
            guard.requestEnded();
            if (lastOnConnection) {
                refusing = true;
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response) {
            informational = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        }
        if (msg instanceof LastHttpContent && !informational) {
            guard.responseEnded();
        }
        ctx.write(msg, promise);
    }

    /**
     * RFC 9112 §6.1/§6.3: a Transfer-Encoding other than exactly {@code chunked} (obfuscated codings such as
     * {@code xchunked}, {@code chunked, chunked}, or chunked not last) cannot be framed reliably, and an
     * HTTP/1.0 message with Transfer-Encoding is faulty framing. Netty would read such a body as having no
     * length and parse the rest as the next request: the classic smuggling gap.
     */
    static String framingProblem(HttpRequest request) {
        if (!request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return null; // the common case, without the list getAll builds
        }
        List<String> codings = tokens(request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING));
        if (codings.isEmpty()) {
            return null;
        }
        if (request.protocolVersion() == HttpVersion.HTTP_1_0) {
            return "Transfer-Encoding in an HTTP/1.0 request";
        }
        if (codings.size() != 1 || !codings.get(0).equals("chunked")) {
            return "unsupported Transfer-Encoding " + codings;
        }
        return null;
    }

    /**
     * The checks of a well-framed head that Netty does not make: the version (505 for anything but 1.0 and 1.1),
     * the Host header ({@link HostRules}) and an absolute-form target's authority, which must name the same host
     * (RFC 9112 §3.2.2: a proxy would otherwise route by one and forward the other).
     */
    static RefusedRequest headProblem(HttpRequest request) {
        HttpVersion version = request.protocolVersion();
        if (version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0) {
            return RefusedRequest.VERSION_NOT_SUPPORTED;
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host != null && !HostRules.validHost(host)) {
            return RefusedRequest.BAD_HOST;
        }
        String uri = request.uri();
        if (!uri.isEmpty() && uri.charAt(0) != '/') {
            return HostRules.absoluteFormProblem(request.method(), uri, host);
        }
        return null;
    }

    /**
     * RFC 9113 §3.1 removed the h2c upgrade: honouring it would let a client switch protocols under the proxy.
     * Without the token the request is an ordinary HTTP/1.1 request (the Upgrade field is hop-by-hop anyway).
     */
    private static void refuseH2cUpgrade(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.UPGRADE)) {
            return;
        }
        List<String> upgrades = tokens(headers.getAll(HttpHeaderNames.UPGRADE));
        if (!upgrades.remove("h2c")) {
            return;
        }
        headers.remove("HTTP2-Settings");
        if (upgrades.isEmpty()) {
            headers.remove(HttpHeaderNames.UPGRADE);
        } else {
            headers.set(HttpHeaderNames.UPGRADE, String.join(", ", upgrades));
        }
    }

    private static List<String> tokens(List<String> values) {
        List<String> tokens = new ArrayList<>();
        for (String value : values) {
            for (String t : value.split(",")) {
                String token = t.trim().toLowerCase(Locale.ROOT);
                if (!token.isEmpty()) {
                    tokens.add(token);
                }
            }
        }
        return tokens;
    }
}
