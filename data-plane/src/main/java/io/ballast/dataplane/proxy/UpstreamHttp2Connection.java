package io.ballast.dataplane.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/2 connection to a backend, carrying many requests at once, each on its own stream. It is usable once
 * the backend's first SETTINGS frame arrived (so its {@code SETTINGS_MAX_CONCURRENT_STREAMS} is known); until
 * then up to {@link #PROVISIONAL_MAX_STREAMS} requests wait for it. A stream is an {@link Http2StreamChannel}
 * whose pipeline turns frames into the HTTP/1-style objects the {@link Attempt} already handles, ending in a
 * single-use {@link BackendConnection}. After a GOAWAY (or a drain) it takes no new streams and closes when
 * its last one ends. Last in the connection's pipeline, after the multiplexer, which passes it the frames that
 * belong to no stream. Confined to its event loop; not thread-safe.
 */
final class UpstreamHttp2Connection extends ChannelInboundHandlerAdapter {
    /**
     * Streams promised to requests before the backend's SETTINGS arrive: RFC 9113 §6.5.2 recommends a limit of
     * no less than 100, and a lower one is honoured when it comes (the extra requests move to another connection).
     */
    static final int PROVISIONAL_MAX_STREAMS = 100;
    private static final int LAST_STREAM_ID = Integer.MAX_VALUE - 4096;

    /** A request waiting for the connection to come up. */
    record Waiter(BackendConnections.IdleKey key, int connectTimeoutMillis, long idleTimeoutNanos,
                  BackendConnections.ConnectListener listener) {
    }

    private final UpstreamHttp2Connections pool;
    private final BackendConnections.IdleKey key;
    private final int connectTimeoutMillis;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>(4);
    private ScheduledFuture<?> settingsDeadline;
    private Http2FrameCodec codec;
    private Channel channel;
    private boolean ready;
    /** No new streams: GOAWAY received, the proxy drains, or the stream ids are running out. */
    private boolean retiring;
    private boolean closed;
    private long maxStreams = PROVISIONAL_MAX_STREAMS;
    /** Streams open or promised to waiters. */
    private int streams;
    private long idleSinceNanos = System.nanoTime();
    private long idleTimeoutNanos;

    UpstreamHttp2Connection(UpstreamHttp2Connections pool, BackendConnections.IdleKey key, int connectTimeoutMillis,
                            long idleTimeoutNanos) {
        this.pool = pool;
        this.key = key;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.idleTimeoutNanos = idleTimeoutNanos;
        // The connect timeout covers TCP, TLS and the backend's SETTINGS: a backend that does not speak HTTP/2
        // (an HTTP/1 server answers the preface with a 400, or nothing) fails the requests as connect failures.
        settingsDeadline = pool.loop().schedule(() -> {
            if (!ready && !closed) {
                connectFailed(new ConnectException("no HTTP/2 SETTINGS from the backend within " + connectTimeoutMillis + " ms"));
            }
        }, Math.max(1, connectTimeoutMillis), TimeUnit.MILLISECONDS);
    }

    BackendConnections.IdleKey key() {
        return key;
    }

    void codec(Http2FrameCodec c) {
        codec = c;
    }

    /**
     * Gives {@code listener} a stream of this connection when it has room (now, or once it is up); false when it
     * is full or retiring, so the caller tries another connection.
     */
    boolean take(BackendConnections.ConnectListener listener, long idleTimeoutNanos) {
        if (retiring || closed || streams >= maxStreams) {
            return false;
        }
        if (ready && codec.connection().local().lastStreamCreated() > LAST_STREAM_ID) {
            // Stream ids are 31 bits, odd ones the client's: an old connection retires before it runs out.
            retire();
            return false;
        }
        streams++;
        this.idleTimeoutNanos = idleTimeoutNanos;
        if (ready) {
            openStream(listener);
        } else {
            waiters.add(new Waiter(key, connectTimeoutMillis, idleTimeoutNanos, listener));
        }
        return true;
    }

    private void openStream(BackendConnections.ConnectListener listener) {
        BackendConnection stream = BackendConnection.forStream(key);
        new Http2StreamChannelBootstrap(channel)
                .handler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel ch) {
                        ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false, false));
                        ch.pipeline().addLast(new Http2ResponseShaper());
                        ch.pipeline().addLast(stream);
                    }
                })
                .open()
                .addListener(opened -> {
                    if (opened.isSuccess()) {
                        Http2StreamChannel ch = (Http2StreamChannel) opened.getNow();
                        ch.closeFuture().addListener(c -> streamEnded());
                        listener.connected(stream);
                    } else {
                        streamEnded();
                        listener.connectFailed(opened.cause());
                    }
                });
    }

    private void streamEnded() {
        streams--;
        if (streams == 0) {
            idleSinceNanos = System.nanoTime();
            if (retiring) {
                close();
            }
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Http2SettingsFrame settings) {
                Long max = settings.settings().maxConcurrentStreams();
                if (max != null) {
                    maxStreams = max;
                }
                if (!ready) {
                    up();
                }
            } else if (msg instanceof Http2GoAwayFrame) {
                // The streams above its last id were told (and fail as refused-stream); the rest may finish.
                retire();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The backend's first SETTINGS: the waiters get their streams, those above its limit go elsewhere. */
    private void up() {
        ready = true;
        pool.metrics().http2BackendConnectionOpened();
        settingsDeadline.cancel(false);
        if (maxStreams == 0) {
            // A backend that takes no streams at all: its requests fail their connect (and may retry elsewhere)
            // rather than moving to yet another connection that would say the same.
            retiring = true;
            connectFailed(new ConnectException("backend allows no concurrent streams (SETTINGS_MAX_CONCURRENT_STREAMS 0)"));
            return;
        }
        List<Waiter> overflow = new ArrayList<>();
        while (!waiters.isEmpty()) {
            Waiter w = waiters.poll();
            if (streams > maxStreams) {
                streams--;
                overflow.add(w);
            } else {
                openStream(w.listener());
            }
        }
        if (retiring && streams == 0) {
            close();
        }
        pool.redispatch(overflow);
    }

    /** Takes no new streams; closes once it carries none (a connection still coming up serves its waiters first). */
    void retire() {
        if (!retiring) {
            retiring = true;
            pool.closed(this);
        }
        if (ready && streams == 0) {
            close();
        }
    }

    boolean idleExpired(long now) {
        return ready && streams == 0 && now - idleSinceNanos >= idleTimeoutNanos;
    }

    void close() {
        if (channel != null) {
            channel.close();
        } else {
            connectFailed(new ClosedChannelException());
        }
    }

    /** Never came up: every waiting request fails its connect (and may retry elsewhere). */
    void connectFailed(Throwable cause) {
        if (closed) {
            return;
        }
        closed = true;
        settingsDeadline.cancel(false);
        pool.closed(this);
        if (channel != null) {
            channel.close();
        }
        List<Waiter> failed = new ArrayList<>(waiters);
        waiters.clear();
        streams -= failed.size();
        for (Waiter w : failed) {
            w.listener().connectFailed(cause);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // Open streams learn of it from their own channels (each closes); waiters fail here.
        if (ready) {
            pool.metrics().http2BackendConnectionClosed();
        }
        connectFailed(new ClosedChannelException());
        closed = true;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // An I/O error or a connection error the codec already answered with GOAWAY: the connection is done for.
        ctx.close();
    }
}
