package io.ballast.dataplane.proxy;

import io.ballast.dataplane.metrics.ProxyMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP/2 connection that carries nothing: one that has opened no stream within the request-head
 * timeout of its preface (the HTTP/2 counterpart of an HTTP/1 head that never comes), and one that has had no
 * open stream for the client idle timeout. Without it a client could hold connections (and the client
 * connection limit) open forever with a preface and a SETTINGS frame. The close goes through the codec, so the
 * client gets GOAWAY first.
 *
 * <p>One periodic check per connection (a quarter of the shorter limit apart), not a timer per stream. Not
 * thread-safe: one instance per connection, on its event loop.
 */
final class Http2IdleGuard extends ChannelInboundHandlerAdapter {
    private final Http2Connection connection;
    private final long firstStreamNanos;
    private final long idleNanos;
    private final ProxyMetrics metrics;
    private long since = System.nanoTime();
    private ScheduledFuture<?> check;

    Http2IdleGuard(Http2Connection connection, long firstStreamMillis, long idleMillis, ProxyMetrics metrics) {
        this.connection = connection;
        this.firstStreamNanos = TimeUnit.MILLISECONDS.toNanos(firstStreamMillis);
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMillis);
        this.metrics = metrics;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(20), Math.min(firstStreamNanos, idleNanos) / 4);
        check = ctx.executor().scheduleAtFixedRate(() -> check(ctx), period, period, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        long now = System.nanoTime();
        if (connection.numActiveStreams() > 0) {
            since = now;
            return;
        }
        boolean neverUsed = connection.remote().lastStreamCreated() == 0;
        if (now - since >= (neverUsed ? firstStreamNanos : idleNanos)) {
            if (neverUsed) {
                metrics.headTimeout();
            }
            cancel();
            ctx.close();
        }
    }

    private void cancel() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }
}
