package io.ballast.dataplane.proxy;

import io.ballast.dataplane.address.AddressGate;
import io.ballast.dataplane.metrics.ProxyMetrics;
import io.ballast.dataplane.tls.BackendTls;
import io.ballast.dataplane.tls.BackendTlsContexts;
import io.netty.bootstrap.Bootstrap;
import io.netty.handler.ssl.SslHandler;
import java.util.function.Supplier;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's keep-alive connections to the backends, made on that same loop: a request, its client
 * connection and its backend connection never cross threads, so nothing here needs a lock. Idle connections
 * are reused newest first (warm, least likely to have been closed by the backend) and closed once idle longer
 * than the idle timeout of the pool that last used them ({@code pool.timeouts.idle}), by a sweep twice a
 * second that runs only while idle connections exist. Confined to its event loop; not thread-safe.
 */
final class BackendConnections {
    /** Told when a connection is ready, or could not be made. */
    interface ConnectListener {
        void connected(BackendConnection connection);

        void connectFailed(Throwable cause);
    }

    static final int WRITE_LOW_WATER = 256 * 1024;
    static final int WRITE_HIGH_WATER = 1024 * 1024;
    private static final long SWEEP_MILLIS = 500;
    /** Backend response heads may be larger than what clients are allowed to send. */
    private static final int MAX_RESPONSE_HEAD = 64 * 1024;
    private static final int MAX_CACHED_KEYS = 4096;

    /** Netty's default validation of response fields, without its garbage for absent ones. */
    private static final LeanHeadersFactory RESPONSE_HEADERS = LeanHeadersFactory.heads(DefaultHttpHeadersFactory.headersFactory());

    private final EventLoop loop;
    private final AddressGate gate;
    private final Bootstrap bootstrap;
    private final Map<IdleKey, ArrayDeque<BackendConnection>> idle = new HashMap<>();
    private final Supplier<BackendTlsContexts> backendTls;
    private final Map<InetSocketAddress, IdleKey> cleartextKeys = new HashMap<>();
    private final OpenBackendConnections open;

    /** Idle connections are reused only for the same address under the same backend TLS (identity: one per snapshot). */
    record IdleKey(InetSocketAddress address, BackendTls tls) {
        @Override
        public boolean equals(Object o) {
            return o instanceof IdleKey k && k.address.equals(address) && k.tls == tls;
        }

        @Override
        public int hashCode() {
            return address.hashCode() * 31 + System.identityHashCode(tls);
        }
    }
    private int idleCount;
    private ScheduledFuture<?> sweeper;
    private boolean closed;
    /** The multiplexed connections of {@code protocol: h2c | h2} pools; made on first use, so HTTP/1-only proxies pay nothing. */
    private UpstreamHttp2Connections http2;

    /**
     * @param backendTls the pools' backend TLS in force (looked up per new connection by pool name)
     * @param open       counts this loop's connections with every other loop's, per backend address
     */
    BackendConnections(EventLoop loop, ChannelFactory<? extends Channel> channels, AddressGate gate,
                       Supplier<BackendTlsContexts> backendTls, OpenBackendConnections open) {
        this.backendTls = backendTls;
        this.open = open;
        this.loop = loop;
        this.gate = gate;
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channelFactory(channels)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(WRITE_LOW_WATER, WRITE_HIGH_WATER))
                .option(ChannelOption.RECVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 16 * 1024, 256 * 1024))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // Filled in by connect(): the address is per connection.
                    }
                });
    }

    EventLoop loop() {
        return loop;
    }

    /** This loop's HTTP/2 connections to backends, counted in {@code metrics} (those of the first caller: one per proxy). */
    UpstreamHttp2Connections http2(ProxyMetrics metrics) {
        if (http2 == null) {
            http2 = new UpstreamHttp2Connections(loop, gate, bootstrap, backendTls, metrics, open);
            if (closed) {
                http2.closeAll();
            }
        }
        return http2;
    }

    /** An idle connection to {@code address} if one is open, else a new one within {@code connectTimeoutMillis}. */
    void acquire(InetSocketAddress address, int connectTimeoutMillis, ConnectListener listener) {
        acquire(new IdleKey(address, null), connectTimeoutMillis, listener);
    }

    /** Like {@link #acquire(InetSocketAddress, int, ConnectListener)} for a backend of {@code pool}, with its TLS if it has. */
    void acquire(String pool, InetSocketAddress address, int connectTimeoutMillis, ConnectListener listener) {
        BackendTls tls = backendTls.get().forPool(pool);
        acquire(tls == null ? cleartextKey(address) : new IdleKey(address, tls), connectTimeoutMillis, listener);
    }

    /**
     * The key of a cleartext backend, made once per address rather than once per request. The table only grows
     * with the addresses this loop has used; it starts over past {@link #MAX_CACHED_KEYS} (a config that churns).
     */
    private IdleKey cleartextKey(InetSocketAddress address) {
        IdleKey key = cleartextKeys.get(address);
        if (key == null) {
            if (cleartextKeys.size() >= MAX_CACHED_KEYS) {
                cleartextKeys.clear();
            }
            key = new IdleKey(address, null);
            cleartextKeys.put(address, key);
        }
        return key;
    }

    private void acquire(IdleKey key, int connectTimeoutMillis, ConnectListener listener) {
        ArrayDeque<BackendConnection> q = idle.get(key);
        while (q != null && !q.isEmpty()) {
            BackendConnection c = q.pollLast();
            idleCount--;
            if (c.channel().isActive()) {
                listener.connected(c);
                return;
            }
        }
        connect(key, connectTimeoutMillis, listener);
    }

    /**
     * Resolves and judges the backend's host through the address gate (issue 15: a DNS name that resolves, or is
     * rebound, into metadata or forbidden space is never connected to), then connects to exactly the address the
     * gate approved, so a second lookup cannot answer differently. Only new connections pay for this; a literal
     * address is judged without a lookup, a name is resolved off the event loop.
     */
    private void connect(IdleKey key, int connectTimeoutMillis, ConnectListener listener) {
        gate.check(key.address().getHostString()).onComplete(judged -> {
            if (loop.inEventLoop()) {
                connectJudged(key, judged.succeeded() ? judged.result() : null, judged.cause(), connectTimeoutMillis, listener);
            } else {
                loop.execute(() -> connectJudged(key, judged.succeeded() ? judged.result() : null, judged.cause(),
                        connectTimeoutMillis, listener));
            }
        });
    }

    private void connectJudged(IdleKey key, InetAddress approved, Throwable refusal, int connectTimeoutMillis,
                               ConnectListener listener) {
        InetSocketAddress address = key.address();
        if (approved == null) {
            listener.connectFailed(refusal);
            return;
        }
        // Keyed by the backend as configured (host name and port), connected to the approved address.
        BackendConnection connection = new BackendConnection(this, key);
        BackendTls backendTls = key.tls();
        ChannelFuture f = bootstrap.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.max(1, connectTimeoutMillis))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (backendTls != null) {
                            SslHandler tls = backendTls.newHandler(ch.alloc(), address.getHostString(), address.getPort());
                            tls.setHandshakeTimeoutMillis(Math.max(1, connectTimeoutMillis));
                            ch.pipeline().addLast(tls);
                        }
                        ch.pipeline().addLast(new BackendHttpCodec(new HttpDecoderConfig().setMaxHeaderSize(MAX_RESPONSE_HEAD)
                                .setMaxChunkSize(256 * 1024).setHeadersFactory(RESPONSE_HEADERS)
                                .setTrailersFactory(LeanHeadersFactory.trailers())));
                        ch.pipeline().addLast(connection);
                    }
                })
                .connect(new InetSocketAddress(approved, address.getPort()));
        f.addListener(done -> {
            if (!done.isSuccess()) {
                listener.connectFailed(done.cause());
                return;
            }
            // Open from the TCP connect to the close, busy or idle (a TLS handshake that fails closes it again).
            open.opened(address);
            f.channel().closeFuture().addListener(closed -> open.closed(address));
            if (backendTls == null) {
                listener.connected(connection);
            } else {
                SslHandler tls = f.channel().pipeline().get(SslHandler.class);
                // Connected means handshaken (and the backend verified): a failed verification is a failed connect,
                // which retries elsewhere like any other, before a byte of the request was sent.
                tls.handshakeFuture().addListener(handshake -> {
                    if (handshake.isSuccess()) {
                        listener.connected(connection);
                    } else {
                        f.channel().close();
                        listener.connectFailed(handshake.cause());
                    }
                });
            }
        });
    }

    /** Keeps {@code c} for the next request to its address. */
    void release(BackendConnection c, long idleTimeoutNanos) {
        if (closed || !c.channel().isActive()) {
            c.channel().close();
            return;
        }
        c.idleSinceNanos = System.nanoTime();
        c.idleTimeoutNanos = idleTimeoutNanos;
        idle.computeIfAbsent(c.idleKey, a -> new ArrayDeque<>()).addLast(c);
        idleCount++;
        if (sweeper == null) {
            sweeper = loop.scheduleAtFixedRate(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** The connection closed: forget it if it was idle. */
    void closed(BackendConnection c) {
        ArrayDeque<BackendConnection> q = idle.get(c.idleKey);
        if (q != null && q.remove(c)) {
            idleCount--;
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        List<BackendConnection> expired = new ArrayList<>();
        for (Iterator<ArrayDeque<BackendConnection>> it = idle.values().iterator(); it.hasNext(); ) {
            ArrayDeque<BackendConnection> q = it.next();
            for (BackendConnection c : q) {
                if (now - c.idleSinceNanos >= c.idleTimeoutNanos) {
                    expired.add(c);
                }
            }
            if (q.isEmpty()) {
                it.remove();
            }
        }
        for (BackendConnection c : expired) {
            closed(c);
            c.channel().close();
        }
        if (idleCount == 0 && idle.isEmpty() && sweeper != null) {
            sweeper.cancel(false);
            sweeper = null;
        }
    }

    /** Idle connections now, for tests and status. */
    int idleCount() {
        return idleCount;
    }

    /** Closes every idle connection and refuses to keep any more. Run on the loop. */
    void closeAll() {
        closed = true;
        List<BackendConnection> all = new ArrayList<>();
        idle.values().forEach(all::addAll);
        idle.clear();
        idleCount = 0;
        all.forEach(c -> c.channel().close());
        if (http2 != null) {
            http2.closeAll();
        }
        if (sweeper != null) {
            sweeper.cancel(false);
            sweeper = null;
        }
    }
}
