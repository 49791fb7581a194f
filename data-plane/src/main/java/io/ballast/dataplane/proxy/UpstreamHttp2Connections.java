package io.ballast.dataplane.proxy;

import io.ballast.dataplane.address.AddressGate;
import io.ballast.dataplane.metrics.ProxyMetrics;
import io.ballast.dataplane.tls.BackendTls;
import io.ballast.dataplane.tls.BackendTlsContexts;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One event loop's HTTP/2 connections to the backends of {@code protocol: h2c | h2} pools. Requests to a backend
 * share as few connections as its {@code SETTINGS_MAX_CONCURRENT_STREAMS} allows: a request takes a stream on the
 * first connection with room (one still connecting counts, up to {@link UpstreamHttp2Connection#PROVISIONAL_MAX_STREAMS}),
 * and only when every one is full is another opened. A connection without streams for longer than its pool's
 * idle timeout is closed by a sweep twice a second, which runs only while connections exist. Confined to its
 * event loop, like {@link BackendConnections}; not thread-safe.
 */
final class UpstreamHttp2Connections {
    private static final long SWEEP_MILLIS = 500;
    /** Our stream window: 1 MiB, so one stream can move a large body without waiting on WINDOW_UPDATE every 64 KiB. */
    private static final int STREAM_WINDOW = 1 << 20;
    private static final int MAX_RESPONSE_HEAD = 64 * 1024;

    private final EventLoop loop;
    private final AddressGate gate;
    private final Bootstrap bootstrap;
    private final Supplier<BackendTlsContexts> backendTls;
    private final ProxyMetrics metrics;
    private final OpenBackendConnections open;
    private final Map<BackendConnections.IdleKey, List<UpstreamHttp2Connection>> byBackend = new HashMap<>();
    private int connections;
    private ScheduledFuture<?> sweeper;
    private boolean closed;

    /** @param open counts these connections with the HTTP/1 ones, per backend address (the console's "connections") */
    UpstreamHttp2Connections(EventLoop loop, AddressGate gate, Bootstrap bootstrap, Supplier<BackendTlsContexts> backendTls,
                             ProxyMetrics metrics, OpenBackendConnections open) {
        this.metrics = metrics;
        this.open = open;
        this.loop = loop;
        this.gate = gate;
        this.bootstrap = bootstrap;
        this.backendTls = backendTls;
    }

    /**
     * A stream to a backend of {@code pool} at {@code address}, on a connection with room or a new one; the
     * listener gets it as a {@link BackendConnection}, or a connect failure (connection refused, TLS or ALPN
     * refused, no HTTP/2 SETTINGS within the connect timeout).
     */
    void acquire(String pool, InetSocketAddress address, int connectTimeoutMillis, long idleTimeoutNanos,
                 BackendConnections.ConnectListener listener) {
        BackendConnections.IdleKey key = new BackendConnections.IdleKey(address, backendTls.get().forPool(pool));
        acquire(key, connectTimeoutMillis, idleTimeoutNanos, listener);
    }

    void acquire(BackendConnections.IdleKey key, int connectTimeoutMillis, long idleTimeoutNanos,
                 BackendConnections.ConnectListener listener) {
        if (closed) {
            listener.connectFailed(new ClosedChannelException());
            return;
        }
        List<UpstreamHttp2Connection> open = byBackend.get(key);
        if (open != null) {
            for (int i = 0; i < open.size(); i++) {
                if (open.get(i).take(listener, idleTimeoutNanos)) {
                    return;
                }
            }
        }
        UpstreamHttp2Connection c = new UpstreamHttp2Connection(this, key, connectTimeoutMillis, idleTimeoutNanos);
        byBackend.computeIfAbsent(key, k -> new ArrayList<>(2)).add(c);
        connections++;
        if (sweeper == null) {
            sweeper = loop.scheduleAtFixedRate(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }
        c.take(listener, idleTimeoutNanos);
        connect(c, connectTimeoutMillis);
    }

    /** Like {@link BackendConnections}: the host is judged by the address gate, and exactly the approved address is dialled. */
    private void connect(UpstreamHttp2Connection c, int connectTimeoutMillis) {
        gate.check(c.key().address().getHostString()).onComplete(judged -> {
            Runnable next = () -> {
                if (judged.succeeded()) {
                    connectJudged(c, judged.result(), connectTimeoutMillis);
                } else {
                    c.connectFailed(judged.cause());
                }
            };
            if (loop.inEventLoop()) {
                next.run();
            } else {
                loop.execute(next);
            }
        });
    }

    private void connectJudged(UpstreamHttp2Connection c, InetAddress approved, int connectTimeoutMillis) {
        InetSocketAddress address = c.key().address();
        BackendTls tls = c.key().tls();
        ChannelFuture f = bootstrap.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.max(1, connectTimeoutMillis))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            SslHandler ssl = tls.newHandler(ch.alloc(), address.getHostString(), address.getPort());
                            ssl.setHandshakeTimeoutMillis(Math.max(1, connectTimeoutMillis));
                            ch.pipeline().addLast(ssl);
                        }
                        Http2FrameCodec codec = Http2FrameCodecBuilder.forClient()
                                .initialSettings(Http2Settings.defaultSettings().pushEnabled(false)
                                        .initialWindowSize(STREAM_WINDOW).maxHeaderListSize(MAX_RESPONSE_HEAD))
                                // Every stream's window is returned as the proxy relays its bytes (child channels),
                                // so a slow client holds back only its own stream.
                                .build();
                        ch.pipeline().addLast(codec);
                        // No server push (disabled above): the inbound stream handler never runs.
                        ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel stream) {
                                stream.close();
                            }
                        }));
                        ch.pipeline().addLast(c);
                        c.codec(codec);
                    }
                })
                .connect(new InetSocketAddress(approved, address.getPort()));
        f.addListener(done -> {
            if (done.isSuccess()) {
                // Open from the TCP connect to the close, as BackendConnections counts its HTTP/1 connections.
                open.opened(address);
                f.channel().closeFuture().addListener(gone -> open.closed(address));
            }
            if (!done.isSuccess()) {
                c.connectFailed(done.cause());
            } else if (tls != null) {
                SslHandler ssl = f.channel().pipeline().get(SslHandler.class);
                ssl.handshakeFuture().addListener(handshake -> {
                    if (!handshake.isSuccess()) {
                        f.channel().close();
                        c.connectFailed(handshake.cause());
                    } else if (!"h2".equals(ssl.applicationProtocol())) {
                        // The backend does not speak HTTP/2 over TLS: as a failed connect, before a byte of a request.
                        f.channel().close();
                        c.connectFailed(new javax.net.ssl.SSLHandshakeException(
                                "backend did not select h2 by ALPN (selected: " + ssl.applicationProtocol() + ")"));
                    }
                });
            }
        });
    }

    /** {@code c} closed (or never opened): forget it. */
    void closed(UpstreamHttp2Connection c) {
        List<UpstreamHttp2Connection> list = byBackend.get(c.key());
        if (list != null && list.remove(c)) {
            connections--;
            if (list.isEmpty()) {
                byBackend.remove(c.key());
            }
        }
    }

    /**
     * Streams {@code c} gave back, in order, to whoever can take them: waiters of a connection that turned out to
     * allow fewer streams than it was provisionally given, or that failed to come up, try the others (or a new one).
     */
    void redispatch(List<UpstreamHttp2Connection.Waiter> waiters) {
        for (UpstreamHttp2Connection.Waiter w : waiters) {
            acquire(w.key(), w.connectTimeoutMillis(), w.idleTimeoutNanos(), w.listener());
        }
    }

    EventLoop loop() {
        return loop;
    }

    ProxyMetrics metrics() {
        return metrics;
    }

    private void sweep() {
        long now = System.nanoTime();
        List<UpstreamHttp2Connection> idle = new ArrayList<>();
        for (List<UpstreamHttp2Connection> list : byBackend.values()) {
            for (UpstreamHttp2Connection c : list) {
                if (c.idleExpired(now)) {
                    idle.add(c);
                }
            }
        }
        idle.forEach(UpstreamHttp2Connection::close);
        if (connections == 0 && sweeper != null) {
            sweeper.cancel(false);
            sweeper = null;
        }
    }

    /** Open (or opening) HTTP/2 connections on this loop, for tests and status. */
    int connectionCount() {
        return connections;
    }

    /** Closes the connections without streams now, the others when their last stream ends; takes no new requests. */
    void closeAll() {
        closed = true;
        List<UpstreamHttp2Connection> all = new ArrayList<>();
        byBackend.values().forEach(all::addAll);
        for (Iterator<UpstreamHttp2Connection> it = all.iterator(); it.hasNext(); ) {
            it.next().retire();
        }
    }
}
