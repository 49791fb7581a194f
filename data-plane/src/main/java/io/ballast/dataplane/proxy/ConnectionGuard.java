package io.ballast.dataplane.proxy;

import io.ballast.dataplane.metrics.ProxyMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * First handler of an HTTP/1.x client connection, in front of the codec. Puts a deadline on each request head
 * (slowloris): the clock starts when the connection opens and, on a kept-alive connection, at the first byte
 * after the previous exchange ended; when the head is not complete in time the client gets a 408 and the
 * connection is closed. A connection idle between exchanges for longer than the idle timeout is closed.
 *
 * <p>One periodic check per connection (a quarter of the shorter limit apart) instead of a timer per request:
 * arming and cancelling a timer for every head would cost an allocation and two queue operations per request.
 * {@link RequestHeadChecks}, right after the codec, reports where exchanges begin and end. Not thread-safe:
 * one instance per connection, on its event loop.
 */
final class ConnectionGuard extends ChannelDuplexHandler {
    static final String NAME = "ballastConnectionGuard";
    private static final byte[] REQUEST_TIMEOUT = requestTimeout();

    private enum State { AWAITING_HEAD, IN_HEAD, IN_EXCHANGE }

    private final long headTimeoutNanos;
    private final long idleTimeoutNanos;
    private final ProxyMetrics metrics;
    private State state = State.IN_HEAD;
    private long since = System.nanoTime();
    private ScheduledFuture<?> check;
    private int requestsOpen;
    private int responsesOpen;

    /** Encoded once: the problem body every other answer of the proxy's own carries, as raw bytes. */
    private static byte[] requestTimeout() {
        String body = "{\"type\":\"https://ballast.io/problems/request-timeout\",\"title\":\"Request timeout\",\"status\":408,"
                + "\"detail\":\"The request head did not arrive within the head timeout.\"}";
        return ("HTTP/1.1 408 Request Timeout\r\nContent-Type: " + Problems.CONTENT_TYPE + "\r\nCache-Control: no-store\r\n"
                + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }

    ConnectionGuard(long headTimeoutMillis, long idleTimeoutMillis, ProxyMetrics metrics) {
        this.headTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(headTimeoutMillis);
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis);
        this.metrics = metrics;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(20), Math.min(headTimeoutNanos, idleTimeoutNanos) / 4);
        check = ctx.executor().scheduleAtFixedRate(() -> check(ctx), period, period, TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.AWAITING_HEAD && msg instanceof ByteBuf) {
            state = State.IN_HEAD;
            since = System.nanoTime();
        }
        ctx.fireChannelRead(msg);
    }

    /** A request head was decoded: the deadline is met. */
    void headDecoded() {
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
            since = System.nanoTime();
        }
    }

    private void cancel() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    private void check(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            cancel();
            return;
        }
        long waited = System.nanoTime() - since;
        if (state == State.IN_HEAD && waited >= headTimeoutNanos) {
            cancel();
            metrics.headTimeout();
            // Written from the front of the pipeline, below the HTTP encoder: there is no request object to answer.
            // The client is still sending its head: a plain close could reset the connection before it reads this.
            LingeringClose.after(ctx.writeAndFlush(Unpooled.wrappedBuffer(REQUEST_TIMEOUT)), ctx);
        } else if (state == State.AWAITING_HEAD && waited >= idleTimeoutNanos) {
            cancel();
            ctx.close();
        }
    }
}
