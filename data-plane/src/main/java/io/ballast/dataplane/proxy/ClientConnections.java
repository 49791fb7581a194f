package io.ballast.dataplane.proxy;

import io.ballast.dataplane.metrics.ProxyMetrics;
import io.ballast.dataplane.settings.ProxySettings;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Guards client connections as they are accepted: enforces the total connection limit, refuses the HTTP/1.1
 * {@code Upgrade: h2c} dance (HTTP/2 with prior knowledge stays available), and puts a deadline on every
 * request head so a client trickling bytes (slowloris) is answered 408 and closed while others are served.
 *
 * <p>Vert.x 5 has no option for the last two, so this reaches the Netty pipeline through Vert.x's internal
 * {@link ConnectionBase} and relies on its handler names ({@code httpDecoder}, {@code h2c}); the conformance
 * tests fail if a Vert.x upgrade renames them. One instance is shared by every event loop; thread-safe.
 */
final class ClientConnections implements Handler<HttpConnection> {
    private static final System.Logger LOG = System.getLogger(ClientConnections.class.getName());
    private static final byte[] REQUEST_TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 26\r\nConnection: close\r\n\r\nRequest head took too long").getBytes(StandardCharsets.US_ASCII);

    private final ProxySettings settings;
    private final ProxyMetrics metrics;
    private final AtomicInteger open = new AtomicInteger();

    ClientConnections(ProxySettings settings, ProxyMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    /** Counts the connection and closes it when over the limit; does not touch the pipeline. */
    boolean admit(HttpConnection connection) {
        if (open.incrementAndGet() > settings.maxClientConnections()) {
            open.decrementAndGet();
            metrics.connectionRejected();
            connection.close();
            return false;
        }
        metrics.connectionOpened();
        connection.closeHandler(v -> {
            open.decrementAndGet();
            metrics.connectionClosed();
        });
        return true;
    }

    /**
     * NOT WIRED YET: also rewrites the pipeline (h2c refusal, head deadline). Changing the pipeline from the
     * connection handler made every HTTP/1.1 connection close without an answer; see the issue-6 report.
     */
    @Override
    public void handle(HttpConnection connection) {
        if (!admit(connection)) {
            return;
        }
        if (connection instanceof ConnectionBase base) {
            guardPipeline(base.channel().pipeline());
        } else {
            LOG.log(System.Logger.Level.WARNING, "unexpected connection type {0}: no head deadline", connection.getClass());
        }
    }

    /** Client connections open now. */
    int open() {
        return open.get();
    }

    private void guardPipeline(ChannelPipeline pipeline) {
        if (pipeline.get("h2c") != null) {
            // RFC 9113 §3.1 removed the h2c upgrade; honouring it would let a client switch protocols under the
            // proxy. Without the handler the Upgrade header is a hop-by-hop field like any other and is dropped.
            pipeline.remove("h2c");
        }
        if (pipeline.get("httpDecoder") != null) {
            HeadDeadline deadline = new HeadDeadline(settings.requestHeadTimeout().toMillis());
            pipeline.addBefore("httpDecoder", "ballastHeadDeadline", deadline.rawBytes());
            pipeline.addAfter("httpDecoder", "ballastHeadDone", deadline.decoded());
        }
    }

    /**
     * The head of each request must be complete within the timeout from its first byte. Both halves run on the
     * connection's event loop, so the fields need no locking.
     */
    private final class HeadDeadline {
        private final long timeoutMillis;
        private boolean inHead;
        private boolean inBody;
        private ScheduledFuture<?> timer;

        HeadDeadline(long timeoutMillis) {
            this.timeoutMillis = timeoutMillis;
        }

        ChannelInboundHandlerAdapter rawBytes() {
            return new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    if (!inHead && !inBody) {
                        inHead = true;
                        Channel ch = ctx.channel();
                        timer = ctx.executor().schedule(() -> expire(ctx, ch), timeoutMillis, TimeUnit.MILLISECONDS);
                    }
                    ctx.fireChannelRead(msg);
                }

                @Override
                public void channelInactive(ChannelHandlerContext ctx) {
                    cancel();
                    ctx.fireChannelInactive();
                }
            };
        }

        ChannelInboundHandlerAdapter decoded() {
            return new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    if (msg instanceof HttpRequest) {
                        cancel();
                        inHead = false;
                        inBody = true;
                    }
                    if (msg instanceof LastHttpContent) {
                        inBody = false;
                    }
                    ctx.fireChannelRead(msg);
                }
            };
        }

        private void cancel() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }

        private void expire(ChannelHandlerContext rawCtx, Channel ch) {
            if (!inHead || !ch.isActive()) {
                return;
            }
            metrics.headTimeout();
            // Written from the front of the pipeline, below the HTTP encoder, because no request object exists.
            rawCtx.writeAndFlush(Unpooled.wrappedBuffer(REQUEST_TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
