package io.ballast.dataplane.proxy;

import io.ballast.dataplane.lifecycle.DrainState;
import io.ballast.dataplane.routing.Hosts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;

/**
 * The client side of one HTTP/1.x connection (one exchange after the other) or of one HTTP/2 stream (one
 * exchange), below the codec, so both protocols reach the same {@link ProxyExchange}. On HTTP/1.x it is the last
 * handler of the connection's pipeline; an HTTP/2 stream's is not in any pipeline: its
 * {@link Http2StreamDispatcher} calls it with the connection's context and it answers through its
 * {@link Http2StreamOutput}. It decides the
 * connection's framing and keep-alive (chunked or close-delimited bodies, {@code Connection: close}), holds
 * pipelined requests until the current answer is out, pauses reading while a backend cannot take more, and
 * hands the raw connection to a {@link WebSocketTunnel} after a 101.
 *
 * <p>Confined to the connection's event loop; not thread-safe.
 */
final class DownstreamHandler extends ChannelDuplexHandler {
    static final String NAME = "ballastDownstream";
    private static final int PAUSED_FOR_BACKEND = 1;
    private static final int PAUSED_FOR_PIPELINING = 2;

    private final RequestRouter router;
    private final DrainState drain;
    private final boolean http2;
    private final boolean tls;
    /** HTTP/2: shared by every stream of the connection; null on HTTP/1.x. */
    private final ExchangeLimit exchangeLimit;
    /** HTTP/2: where this stream's answer goes; null on HTTP/1.x. */
    private final Http2StreamOutput stream;
    /** HTTP/2: already in its connection's list of streams that read in this batch. */
    boolean inReadBatch;
    private ChannelHandlerContext ctx;
    private String client;
    private Exchange exchange;
    private ArrayDeque<Object> held;
    private boolean requestOpen;
    private boolean responseOpen;
    private boolean headSent;
    private boolean keepAlive;
    private boolean closing;
    /** The connection ends with a lingering close (HTTP/1): the client may still be sending (a refusal). */
    private boolean lingerOnClose;
    /** The connection's last answer is out (HTTP/1): nothing read after it is served, even from the same read. */
    private boolean finished;
    private int pauses;
    private HttpVersion version = HttpVersion.HTTP_1_1;
    private WebSocketTunnel tunnel;
    private final ForwardedHeaders.LastElement forwarded = new ForwardedHeaders.LastElement();
    private String lastHost;
    private String lastNormalizedHost;
    /** HTTP/1: the request timer every exchange of the connection re-arms; null on HTTP/2 (streams overlap). */
    private RequestDeadline requestDeadline;

    /** HTTP/1.x: added to the connection's pipeline. */
    DownstreamHandler(RequestRouter router, DrainState drain, boolean tls) {
        this.router = router;
        this.drain = drain;
        this.http2 = false;
        this.tls = tls;
        this.exchangeLimit = null;
        this.stream = null;
    }

    /** One HTTP/2 stream of the connection whose context is {@code connection}. */
    DownstreamHandler(RequestRouter router, DrainState drain, boolean tls, ExchangeLimit exchangeLimit,
                      ChannelHandlerContext connection, Http2StreamOutput stream) {
        this.router = router;
        this.drain = drain;
        this.http2 = true;
        this.tls = tls;
        this.exchangeLimit = exchangeLimit;
        this.stream = stream;
        attach(connection);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        attach(ctx);
    }

    private void attach(ChannelHandlerContext context) {
        this.ctx = context;
        SocketAddress remote = context.channel().remoteAddress();
        client = remote instanceof InetSocketAddress inet && inet.getAddress() != null ? inet.getAddress().getHostAddress() : null;
        if (!http2) {
            requestDeadline = new RequestDeadline(ctx.executor());
        }
    }

    /** The connection's re-armable request timer (HTTP/1), or null (HTTP/2: each stream schedules its own). */
    RequestDeadline requestDeadline() {
        return requestDeadline;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (finished) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (tunnel != null) {
            tunnel.fromClient((ByteBuf) msg);
            return;
        }
        if (held != null) {
            held.add(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            if (exchange != null) {
                hold(msg);
                return;
            }
            requestOpen = true;
            responseOpen = true;
            headSent = false;
            version = request.protocolVersion();
            keepAlive = !http2 && keepAlive(request);
            exchange = router.route(this, request);
            if (!(msg instanceof HttpContent)) {
                return;
            }
        }
        if (msg instanceof HttpContent content) {
            Exchange current = exchange;
            if (!content.decoderResult().isSuccess()) {
                content.release();
                requestMalformed(current, RefusedRequest.of(content.decoderResult().cause()));
                return;
            }
            if (current == null || !requestOpen) {
                content.release();
                return;
            }
            boolean last = content instanceof LastHttpContent;
            if (last) {
                requestOpen = false;
            }
            current.requestContent(content, last);
            if (last && !responseOpen && exchange == current) {
                exchangeFinished();
            }
            return;
        }
        // Raw bytes after a protocol switch the tunnel has not claimed yet, or something unexpected.
        ReferenceCountUtil.release(msg);
    }

    /** The request body broke off (HTTP/1: a bad chunk): answer 400 if still possible, then close. */
    private void requestMalformed(Exchange current, RefusedRequest why) {
        requestOpen = false;
        closing = true;
        lingerOnClose = true;
        if (current != null) {
            current.requestMalformed(why);
        }
        if (!responseOpen && exchange != null) {
            // The answer went out already (kept alive for the rest of the body): the connection cannot go on.
            exchange = null;
            LingeringClose.after(ctx.writeAndFlush(Unpooled.EMPTY_BUFFER), ctx);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (tunnel != null) {
            tunnel.clientReadComplete();
        } else if (exchange != null) {
            exchange.requestReadComplete();
        }
        ctx.flush();
    }

    /** HTTP/2: the connection's read batch, which carried frames of this stream, is over (it flushes itself). */
    void streamReadComplete() {
        if (exchange != null) {
            exchange.requestReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        if (tunnel != null) {
            tunnel.clientWritabilityChanged(writable);
        } else if (exchange != null) {
            exchange.downstreamWritabilityChanged(writable);
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** HTTP/2: the stream's window or the connection's writability changed. */
    void streamWritabilityChanged() {
        if (exchange != null) {
            exchange.downstreamWritabilityChanged(stream.isWritable());
        }
    }

    Http2StreamOutput streamOutput() {
        return stream;
    }

    /**
     * HTTP/2: the stream closed (answered and read to its end, reset by either side, or its connection closed). An
     * exchange still open ends a little later in this event-loop turn, as it did when each stream had a channel
     * whose close came later: until then it holds its place in the {@link ExchangeLimit}, so a read full of
     * HEADERS and RST_STREAM pairs (rapid reset) cannot start more backend requests than that limit.
     */
    void streamClosed() {
        if (exchange == null) {
            return;
        }
        ctx.executor().execute(this::endExchange);
    }

    private void endExchange() {
        Exchange current = exchange;
        exchange = null;
        if (current != null) {
            current.downstreamClosed();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange current = exchange;
        exchange = null;
        if (current != null) {
            current.downstreamClosed();
        }
        if (requestDeadline != null) {
            requestDeadline.close();
        }
        if (tunnel != null) {
            tunnel.clientClosed();
        }
        if (held != null) {
            held.forEach(ReferenceCountUtil::release);
            held = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (http2) {
            // Input of this stream that failed its conversion (or a failure while handling it): reset the stream
            // with its code; the close that follows ends the exchange.
            stream.reset(Http2StreamResets.codeFor(cause));
            return;
        }
        // A reset by the peer or a codec failure past the head: nothing to answer any more.
        ctx.close();
    }

    /** {@link HttpUtil#isKeepAlive} without its iterator when there is no Connection header (the common case). */
    private static boolean keepAlive(HttpRequest request) {
        if (!request.headers().contains(HttpHeaderNames.CONNECTION)) {
            return request.protocolVersion() == HttpVersion.HTTP_1_1;
        }
        return HttpUtil.isKeepAlive(request);
    }

    ForwardedHeaders.LastElement lastForwarded() {
        return forwarded;
    }

    /**
     * {@link Hosts#normalize} of {@code host}, remembered for the connection's next request: a client sends the
     * same Host on every request of a keep-alive connection, so most requests compare one string instead of
     * making two.
     */
    String normalizedHost(String host) {
        if (host == null || !host.equals(lastHost)) {
            lastNormalizedHost = Hosts.normalize(host);
            lastHost = host;
        }
        return lastNormalizedHost;
    }

    private void hold(Object msg) {
        held = new ArrayDeque<>(4);
        held.add(msg);
        pause(PAUSED_FOR_PIPELINING, true);
    }

    private void pause(int reason, boolean on) {
        int before = pauses;
        pauses = on ? pauses | reason : pauses & ~reason;
        if ((before == 0) != (pauses == 0)) {
            if (http2) {
                stream.pauseReading(pauses != 0);
            } else {
                ctx.channel().config().setAutoRead(pauses == 0);
            }
        }
    }

    // --- what the exchange calls -------------------------------------------------------------------------

    String client() {
        return client;
    }

    boolean tls() {
        return tls;
    }

    boolean http2() {
        return http2;
    }

    /** The client connection's bound on exchanges going to backends at once, or null (HTTP/1.x). */
    ExchangeLimit exchangeLimit() {
        return exchangeLimit;
    }

    /**
     * HTTP/2: refuses this stream with REFUSED_STREAM, which tells the client nothing of it was processed and it
     * may send it again (RFC 9113 §8.7).
     */
    void refuseStream() {
        responseOpen = false;
        requestOpen = false;
        exchange = null;
        stream.reset(io.netty.handler.codec.http2.Http2Error.REFUSED_STREAM);
    }

    /** {@code HTTP/1.1} … for the access log. */
    String protocol() {
        return http2 ? "HTTP/2" : version == HttpVersion.HTTP_1_0 ? "HTTP/1.0" : "HTTP/1.1";
    }

    /** This hop's {@code Via} entry (RFC 9110 §7.6.3: the received protocol version). */
    String viaHop() {
        return http2 ? "2 ballast" : version == HttpVersion.HTTP_1_0 ? "1.0 ballast" : "1.1 ballast";
    }

    HttpVersion version() {
        return version;
    }

    boolean isWritable() {
        return http2 ? stream.isWritable() : ctx.channel().isWritable();
    }

    boolean headSent() {
        return headSent;
    }

    /** Stops (or resumes) reading the request body while the backend side cannot take it. */
    void pauseForBackend(boolean on) {
        pause(PAUSED_FOR_BACKEND, on);
    }

    /** Answers the client's {@code Expect: 100-continue} (RFC 9110 §10.1.1) so it sends the body. */
    void sendContinue() {
        write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        flush();
    }

    /** The next answer on this connection is its last (a client's or a drain's {@code Connection: close}). */
    void closeAfterResponse() {
        closing = true;
    }

    /**
     * Sends a response head, framing its body for this connection: an HTTP/1.1 body without a length is chunked,
     * an HTTP/1.0 one is delimited by closing the connection.
     */
    void sendHead(HttpResponse response, boolean bodiless) {
        headSent = true;
        if (!http2) {
            HttpHeaders h = response.headers();
            response.setProtocolVersion(version);
            if (!bodiless && !h.contains(HttpHeaderNames.CONTENT_LENGTH) && !(response instanceof FullHttpResponse)) {
                if (version == HttpVersion.HTTP_1_1) {
                    h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                } else {
                    keepAlive = false;
                }
            }
            // Once a drain began (one volatile read per answer) each answer is its connection's last, so the
            // client's next connection goes wherever the VIP or the balancer in front points now.
            if (closing || !keepAlive || drain.closesConnections()) {
                keepAlive = false;
                if (version == HttpVersion.HTTP_1_1) {
                    h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                }
            } else if (version == HttpVersion.HTTP_1_0) {
                h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        }
        write(response);
    }

    void sendContent(HttpContent content) {
        write(content);
    }

    private void write(HttpObject msg) {
        if (http2) {
            stream.write(msg);
        } else {
            ctx.write(msg, ctx.voidPromise());
        }
    }

    /** The backend's 101, as is: no keep-alive or framing decisions apply to a switch. */
    void sendSwitchingProtocols(HttpResponse response) {
        headSent = true;
        ctx.write(response, ctx.voidPromise());
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /** The end of the response (with trailers, if any). */
    void sendLast(LastHttpContent last) {
        write(last);
        responseDone();
    }

    /** A complete answer of the proxy's own; {@code close} ends the connection after it. */
    void sendLocal(FullHttpResponse response, boolean close) {
        if (close) {
            closing = true;
            lingerOnClose = true;
        }
        sendHead(response, false);
        flush();
        responseDone();
    }

    void flush() {
        if (http2) {
            stream.flush();
        } else {
            ctx.flush();
        }
    }

    /** Cuts the connection (HTTP/2: resets the stream): a response that broke mid-body must not look complete. */
    void abort() {
        responseOpen = false;
        if (http2) {
            stream.reset(io.netty.handler.codec.http2.Http2Error.CANCEL);
        } else {
            ctx.channel().close();
        }
    }

    private void responseDone() {
        responseOpen = false;
        if (http2) {
            exchange = null;
            return;
        }
        if (!keepAlive) {
            exchange = null;
            finished = true;
            ChannelFuture flushed = ctx.writeAndFlush(Unpooled.EMPTY_BUFFER);
            if (lingerOnClose || requestOpen) {
                LingeringClose.after(flushed, ctx);
            } else {
                flushed.addListener(ChannelFutureListener.CLOSE);
            }
            return;
        }
        if (!requestOpen) {
            exchangeFinished();
        }
    }

    private void exchangeFinished() {
        exchange = null;
        if (held == null) {
            return;
        }
        ArrayDeque<Object> queue = held;
        held = null;
        pause(PAUSED_FOR_PIPELINING, false);
        while (!queue.isEmpty()) {
            channelRead(ctx, queue.poll());
        }
    }

    // --- WebSocket tunnel and shutdown --------------------------------------------------------------------

    /**
     * The backend switched protocols: after the 101 has gone out, the HTTP codec leaves the client pipeline and
     * every byte goes to {@code t}.
     */
    void startTunnel(WebSocketTunnel t) {
        tunnel = t;
        exchange = null;
        responseOpen = false;
        requestOpen = false;
        ClientPipelines.removeHttp1(ctx.pipeline());
        pause(PAUSED_FOR_BACKEND | PAUSED_FOR_PIPELINING, false);
    }

    ChannelHandlerContext context() {
        return ctx;
    }

    /**
     * Graceful stop: an idle connection closes now; a busy one says {@code Connection: close} on its answer (or
     * closes right after it when the head is already out). Tunnels stay until {@link #forceClose}.
     */
    void drain() {
        if (tunnel != null) {
            return;
        }
        if (exchange == null) {
            // Flush first: the last answer may still sit unflushed in the outbound buffer (flushes wait for the end
            // of a read batch), and a bare close() would discard it after its head went out.
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            closing = true;
            if (headSent) {
                keepAlive = false;
            }
        }
    }

    /** The grace has ended: a tunnel says goodbye with a WebSocket close frame, anything else just closes. */
    void forceClose() {
        if (tunnel != null) {
            tunnel.goingAway();
        } else {
            ctx.close();
        }
    }
}
