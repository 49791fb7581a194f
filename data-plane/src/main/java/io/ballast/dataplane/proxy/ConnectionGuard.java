package io.ballast.dataplane.proxy;

import io.ballast.dataplane.metrics.ProxyMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.impl.Http1xOrH2CHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * First handler of every accepted connection, in front of Vert.x's HTTP codec (see {@link GuardedTransport}).
 * Puts a deadline on each request head (slowloris): the clock starts when the connection opens and, on a
 * kept-alive connection, at the first byte after the previous exchange ended; when the head is not complete
 * in time the client gets a 408 and the connection is closed. It also places a {@link RequestHeadChecks}
 * right after the HTTP codec before the first request is decoded, so every decoded head is checked before
 * Vert.x (or its h2c upgrade handler) acts on it. An HTTP/2 connection (prior knowledge) is left alone.
 *
 * <p>Relies on Vert.x's handler names {@code httpDecoder}/{@code httpEncoder} and on {@link Http1xOrH2CHandler};
 * the conformance tests fail if a Vert.x upgrade changes them. Not thread-safe: one instance per connection,
 * used on its event loop only.
 */
final class ConnectionGuard extends ChannelDuplexHandler {
    static final String NAME = "ballastConnectionGuard";
    private static final String CHECKS = "ballastRequestHeadChecks";
    private static final byte[] REQUEST_TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 26\r\nConnection: close\r\n\r\nRequest head took too long").getBytes(StandardCharsets.US_ASCII);

    private enum State { AWAITING_HEAD, IN_HEAD, IN_EXCHANGE }

    private final long timeoutMillis;
    private final ProxyMetrics metrics;
    private State state = State.IN_HEAD;
    private ScheduledFuture<?> timer;
    private boolean checksInstalled;
    private int requestsOpen;
    private int responsesOpen;

    ConnectionGuard(long timeoutMillis, ProxyMetrics metrics) {
        this.timeoutMillis = timeoutMillis;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.AWAITING_HEAD) {
            state = State.IN_HEAD;
            arm(ctx);
        }
        if (checksInstalled || !(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        checksInstalled = installChecks(pipeline);
        // With h2c enabled Vert.x builds the HTTP/1 codec only once it has seen enough bytes to tell HTTP/1 from
        // the HTTP/2 preface, and decodes the first request in the same call. Feeding it one byte at a time
        // until the codec exists lets the checks go in before the first head is decoded (at most 24 bytes).
        while (!checksInstalled && buf.isReadable() && pipeline.get(Http1xOrH2CHandler.class) != null) {
            ctx.fireChannelRead(buf.readRetainedSlice(1));
            checksInstalled = installChecks(pipeline);
        }
        if (!checksInstalled && pipeline.get(Http2ConnectionHandler.class) != null) {
            // HTTP/2 with prior knowledge: frames, not heads; HTTP/2 has its own limits.
            cancel();
            pipeline.remove(this);
        }
        if (buf.isReadable()) {
            ctx.fireChannelRead(buf);
        } else {
            buf.release();
        }
    }

    private boolean installChecks(ChannelPipeline pipeline) {
        if (pipeline.get("httpEncoder") == null || pipeline.get(CHECKS) != null) {
            return pipeline.get(CHECKS) != null;
        }
        pipeline.addAfter("httpEncoder", CHECKS, new RequestHeadChecks(this));
        return true;
    }

    /** A request head was decoded: the deadline is met. */
    void headDecoded() {
        cancel();
        state = State.IN_EXCHANGE;
        requestsOpen++;
        responsesOpen++;
    }

    /** The request body (if any) has fully arrived. */
    void requestEnded() {
        requestsOpen = Math.max(0, requestsOpen - 1);
        awaitNextHeadWhenIdle();
    }

    /** A final response has been written completely. */
    void responseEnded() {
        responsesOpen = Math.max(0, responsesOpen - 1);
        awaitNextHeadWhenIdle();
    }

    private void awaitNextHeadWhenIdle() {
        if (state == State.IN_EXCHANGE && requestsOpen == 0 && responsesOpen == 0) {
            // The next head's clock starts at its first byte; the idle timeout covers the wait before it.
            state = State.AWAITING_HEAD;
        }
    }

    private void arm(ChannelHandlerContext ctx) {
        cancel();
        timer = ctx.executor().schedule(() -> expire(ctx), timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (state != State.IN_HEAD || !ctx.channel().isActive()) {
            return;
        }
        metrics.headTimeout();
        // Written from the front of the pipeline, below the HTTP encoder: there is no request object to answer.
        ctx.writeAndFlush(Unpooled.wrappedBuffer(REQUEST_TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
    }
}
