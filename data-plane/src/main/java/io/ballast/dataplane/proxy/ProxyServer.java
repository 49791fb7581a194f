package io.ballast.dataplane.proxy;

import io.ballast.dataplane.address.AddressGate;
import io.ballast.dataplane.lifecycle.DrainState;
import io.ballast.dataplane.metrics.AccessLog;
import io.ballast.dataplane.metrics.ProxyMetrics;
import io.ballast.dataplane.routing.ActiveConfig;
import io.ballast.dataplane.routing.ConfigHolder;
import io.ballast.dataplane.upstream.Member;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.ballast.dataplane.settings.ListenAddress;
import io.ballast.dataplane.settings.ProxySettings;
import io.ballast.dataplane.tls.CertificateStore;
import io.ballast.dataplane.tls.BackendTlsStore;
import io.ballast.dataplane.tls.SessionTickets;
import io.ballast.dataplane.tls.TlsAcceptor;
import io.ballast.dataplane.tls.TlsSettings;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The proxy's listeners: Netty server channels on Vert.x's own event loops (so timers, health checks and the
 * rest of Vert.x share the threads), with the forwarding path on Netty handlers directly (see
 * {@link ClientPipelines}). With the native transport and {@code reusePort} each event loop binds its own
 * socket on every address ({@code SO_REUSEPORT}): the kernel spreads connections over the loops, and a new
 * process can bind the same address while this one drains. Otherwise one socket per address accepts for
 * every loop.
 *
 * <p>Stopping is two explicit steps: {@link #stopAccepting()} closes the listeners; {@link #shutdown(Duration)}
 * closes idle keep-alive connections, says {@code Connection: close} on the next answer of each busy HTTP/1.1
 * connection, sends GOAWAY to HTTP/2 clients, lets requests in flight finish within the grace, and then closes
 * what is left (WebSocket tunnels get a close frame). {@link #stop()} does both with the configured grace.
 * Thread-safe for one start and one stop.
 */
public final class ProxyServer {
    private final Vertx vertx;
    private final ConfigHolder holder;
    private final ProxyMetrics metrics;
    private final ProxySettings settings;
    private final AccessLog accessLog;
    private final boolean reusePort;
    private final DrainState drain;
    /** Judges every backend address before a new backend connection is made (SSRF through DNS, issue 15). */
    private final AddressGate addressGate;
    private final ClientConnections connections;
    private final PendingRequests pending = new PendingRequests();
    private final List<Channel> listeners = new CopyOnWriteArrayList<>();
    private volatile LoopConnections backends;
    /** The TLS listeners' context, released once the connections are closed at shutdown. */
    private volatile TlsAcceptor tlsAcceptor;
    private volatile List<ListenAddress> bound = List.of();
    private volatile List<ListenAddress> boundTls = List.of();
    private TlsSettings tls = TlsSettings.NONE;
    private CertificateStore certificates = new CertificateStore();
    private SessionTickets tickets = new SessionTickets();
    private BackendTlsStore backendTls = new BackendTlsStore();

    /**
     * @param drain read once per answer: once a drain began, every HTTP/1.x answer says {@code Connection: close};
     *              {@code settings.reusePort()} binds with {@code SO_REUSEPORT} (native transport only), one socket
     *              per event loop
     * @param addressGate judges the resolved address of every new backend connection
     */
    public ProxyServer(Vertx vertx, ConfigHolder holder, ProxyMetrics metrics, ProxySettings settings, AccessLog accessLog,
                       DrainState drain, AddressGate addressGate) {
        this.addressGate = addressGate;
        this.vertx = vertx;
        this.holder = holder;
        this.metrics = metrics;
        this.settings = settings;
        this.accessLog = accessLog;
        this.drain = drain;
        this.reusePort = settings.reusePort();
        this.connections = new ClientConnections(settings, metrics);
    }

    /** Also listens with TLS on {@code tls.listen()}, serving the certificates of {@code store}. Call before {@link #start}. */
    public ProxyServer withTls(TlsSettings tlsSettings, CertificateStore store) {
        this.tls = tlsSettings;
        this.certificates = store;
        return this;
    }

    /** Connects to the backends of TLS pools with the contexts of {@code store}. Call before {@link #start}. */
    public ProxyServer withBackendTls(BackendTlsStore store) {
        this.backendTls = store;
        return this;
    }

    /** Like {@link #withTls(TlsSettings, CertificateStore)}, with the fleet's session tickets. Call before {@link #start}. */
    public ProxyServer withTls(TlsSettings tlsSettings, CertificateStore store, SessionTickets sessionTickets) {
        withTls(tlsSettings, store);
        this.tickets = sessionTickets;
        return this;
    }

    /**
     * Listens on every address (and every TLS address, see {@link #withTls}) with {@code instances} event loops;
     * the future gives the bound cleartext addresses ({@link #boundTlsAddresses()} the TLS ones).
     */
    public Future<List<ListenAddress>> start(List<ListenAddress> addresses, int instances) {
        VertxInternal vx = (VertxInternal) vertx;
        EventLoopGroup group = vx.nettyEventLoopGroup();
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor e : group) {
            if (loops.size() < Math.max(1, instances)) {
                loops.add((EventLoop) e);
            }
        }
        LoopConnections pools = new LoopConnections(group, vx.transport().channelFactory(false), addressGate, backendTls);
        backends = pools;
        ProxyExchange.Context context = new ProxyExchange.Context(metrics, accessLog, new ForwardedHeaders(settings), pending, pools);
        RequestRouter router = new RequestRouter(holder, settings, context);
        if (!tls.listen().isEmpty() && tls.listen().get(0).port() > 0) {
            router.httpsPort(tls.listen().get(0).port());
        }
        ClientPipelines pipelines = new ClientPipelines(settings, metrics, router, drain);
        ClientChannelInitializer initializer = new ClientChannelInitializer(connections, pipelines,
                settings.requestHeadTimeout().toMillis(), null);
        ClientChannelInitializer tlsInitializer;
        try {
            tlsAcceptor = tls.listen().isEmpty() ? null : TlsAcceptor.of(certificates, tls, tickets);
            tlsInitializer = tlsAcceptor == null ? null : new ClientChannelInitializer(connections, pipelines,
                    settings.requestHeadTimeout().toMillis(), tlsAcceptor);
        } catch (javax.net.ssl.SSLException e) {
            return Future.failedFuture(new IllegalStateException("BALLAST_TLS_LISTEN: cannot set up TLS: " + e.getMessage(), e));
        }
        boolean perLoop = reusePort && vx.isNativeTransportEnabled();

        Future<List<ListenAddress>> chain = Future.succeededFuture(new ArrayList<>());
        for (ListenAddress address : addresses) {
            chain = chain.compose(done -> bind(vx, group, loops, perLoop, initializer, address).map(actual -> {
                done.add(actual);
                return done;
            }));
        }
        Future<List<ListenAddress>> tlsChain = chain.map(all -> {
            bound = List.copyOf(all);
            return new ArrayList<ListenAddress>();
        });
        for (ListenAddress address : tls.listen()) {
            tlsChain = tlsChain.compose(done -> bind(vx, group, loops, perLoop, tlsInitializer, address).map(actual -> {
                done.add(actual);
                return done;
            }));
        }
        return tlsChain.map(all -> {
            boundTls = List.copyOf(all);
            if (!all.isEmpty()) {
                // Port 0 binds an ephemeral port: redirects name the one actually bound.
                router.httpsPort(all.get(0).port());
            }
            return bound;
        });
    }

    /** Binds one address: the first socket resolves port 0, the other loops' sockets take the same port. */
    private Future<ListenAddress> bind(VertxInternal vx, EventLoopGroup group, List<EventLoop> loops, boolean perLoop,
                                       ClientChannelInitializer initializer, ListenAddress address) {
        ServerBootstrap first = bootstrap(vx, perLoop ? loops.get(0) : loops.get(0), perLoop ? loops.get(0) : group, perLoop, initializer);
        return netty(first.bind(address.host(), address.port())).compose(ch -> {
            listeners.add(ch);
            int port = ((InetSocketAddress) ch.localAddress()).getPort();
            Future<Void> rest = Future.succeededFuture();
            if (perLoop) {
                for (EventLoop loop : loops.subList(1, loops.size())) {
                    rest = rest.compose(v -> netty(bootstrap(vx, loop, loop, true, initializer).bind(address.host(), port))
                            .map(other -> {
                                listeners.add(other);
                                return null;
                            }));
                }
            }
            return rest.map(v -> address.withPort(port));
        });
    }

    private static ServerBootstrap bootstrap(VertxInternal vx, EventLoop acceptor, EventLoopGroup children, boolean reusePort,
                                             ClientChannelInitializer initializer) {
        ServerBootstrap b = new ServerBootstrap()
                .group(acceptor, children)
                .channelFactory(vx.transport().serverChannelFactory(false))
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Large bodies: bigger writes before back-pressure, bigger reads (fewer epoll_ctl calls per MiB).
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(BackendConnections.WRITE_LOW_WATER, BackendConnections.WRITE_HIGH_WATER))
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 16 * 1024, 256 * 1024))
                .childHandler(initializer);
        if (reusePort) {
            b.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        return b;
    }

    private static Future<Channel> netty(ChannelFuture f) {
        Promise<Channel> p = Promise.promise();
        f.addListener(done -> {
            if (done.isSuccess()) {
                p.complete(f.channel());
            } else {
                p.fail(done.cause());
            }
        });
        return p.future();
    }

    public List<ListenAddress> boundAddresses() {
        return bound;
    }

    /** TLS listener addresses as bound; empty without BALLAST_TLS_LISTEN. */
    public List<ListenAddress> boundTlsAddresses() {
        return boundTls;
    }

    /** Closes the listening sockets; established connections are untouched. */
    public Future<Void> stopAccepting() {
        List<Future<Channel>> closing = new ArrayList<>();
        for (Channel ch : listeners) {
            closing.add(netty(ch.close()));
        }
        listeners.clear();
        return Future.join(closing).mapEmpty();
    }

    /**
     * Drains the client connections (see the class comment) and completes when all are closed, at most
     * {@code grace} later; then closes the idle backend connections.
     */
    public Future<Void> shutdown(Duration grace) {
        for (Channel ch : connections.snapshot()) {
            ch.eventLoop().execute(() -> drain(ch));
        }
        Promise<Void> done = Promise.promise();
        long deadline = System.nanoTime() + grace.toNanos();
        vertx.setPeriodic(20, 50, id -> {
            boolean over = System.nanoTime() - deadline >= 0;
            if (connections.open() == 0 || over) {
                vertx.cancelTimer(id);
                for (Channel ch : connections.snapshot()) {
                    ch.eventLoop().execute(() -> forceClose(ch));
                }
                LoopConnections pools = backends;
                if (pools != null) {
                    pools.closeAll();
                }
                TlsAcceptor acceptor = tlsAcceptor;
                tlsAcceptor = null;
                if (acceptor != null) {
                    // Every client connection is closed or being closed: their engines hold the context until then.
                    acceptor.release();
                }
                done.complete();
            }
        });
        return done.future();
    }

    /**
     * Connections open now to each backend of {@code config}, busy or idle, keyed {@code pool/backend}, for the
     * heartbeat: only backends with some (a heartbeat of thousands of idle backends stays small); null before the proxy
     * started (nothing to count yet).
     */
    public Map<String, Integer> openConnections(ActiveConfig config) {
        LoopConnections pools = backends;
        if (pools == null || config == null) {
            return null;
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        for (UpstreamPool pool : config.table().pools()) {
            for (Member m : pool.members()) {
                int open = pools.open(m.connectAddress());
                if (open > 0) {
                    out.put(m.heartbeatKey(), open);
                }
            }
        }
        return out;
    }

    /** Requests waiting now for a connection slot, keyed {@code pool}: only pools where some wait; null before a config. */
    public Map<String, Integer> queued(ActiveConfig config) {
        if (config == null) {
            return null;
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        for (UpstreamPool pool : config.table().pools()) {
            int waiting = pending.waiting(pool.name());
            if (waiting > 0) {
                out.put(pool.name(), waiting);
            }
        }
        return out;
    }

    /** {@link #stopAccepting()}, then {@link #shutdown} with {@code settings.shutdownGrace()}. */
    public Future<Void> stop() {
        return stopAccepting().compose(v -> shutdown(settings.shutdownGrace()));
    }

    private static void drain(Channel ch) {
        DownstreamHandler http1 = ch.pipeline().get(DownstreamHandler.class);
        if (http1 != null) {
            http1.drain();
        } else if (ch.pipeline().get(Http2ServerConnection.class) != null) {
            // Http2ConnectionHandler.close is graceful: GOAWAY, then close once the open streams are done.
            ch.close();
        } else {
            ch.close();
        }
    }

    private static void forceClose(Channel ch) {
        DownstreamHandler http1 = ch.pipeline().get(DownstreamHandler.class);
        if (http1 != null) {
            http1.forceClose();
        } else {
            ch.unsafe().close(ch.voidPromise());
        }
    }
}
