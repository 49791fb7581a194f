package io.ballast.dataplane.proxy;

import io.ballast.dataplane.metrics.ProxyMetrics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.transport.Transport;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;

/**
 * The Vert.x transport (epoll when available, else NIO) with one addition: every accepted server connection
 * gets a {@link ConnectionGuard} as the first handler of its pipeline, before Vert.x's HTTP codec.
 *
 * <p>Why a transport: Vert.x 5 calls the connection handler of an HTTP server only once the first request
 * head has been decoded (and never before an {@code Upgrade: h2c} is acted on), which is too late both for a
 * head deadline and for refusing h2c. {@link io.vertx.core.spi.transport.Transport#configure(NetServerOptions,
 * boolean, ServerBootstrap)} is the one public hook that runs after Vert.x has set its child handler, so the
 * guard can be put in front of it. Applies to every server of the Vert.x instance (proxy and admin alike).
 */
public final class GuardedTransport implements Transport {
    private final Transport base;
    private final Implementation implementation;

    private GuardedTransport(Transport base, Duration headTimeout, ProxyMetrics metrics) {
        this.base = base;
        this.implementation = new Implementation(base.implementation(), headTimeout.toMillis(), metrics);
    }

    /** Native epoll where the platform has it (fewer copies and syscalls), else NIO; both guarded. */
    public static GuardedTransport preferNative(Duration headTimeout, ProxyMetrics metrics) {
        Transport base = Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO;
        return new GuardedTransport(base, headTimeout, metrics);
    }

    @Override
    public String name() {
        return base.name();
    }

    @Override
    public boolean available() {
        return base.available();
    }

    @Override
    public Throwable unavailabilityCause() {
        return base.unavailabilityCause();
    }

    @Override
    public io.vertx.core.spi.transport.Transport implementation() {
        return implementation;
    }

    /** Delegates everything to the real transport and wraps the server child handler. */
    private static final class Implementation implements io.vertx.core.spi.transport.Transport {
        private final io.vertx.core.spi.transport.Transport delegate;
        private final long headTimeoutMillis;
        private final ProxyMetrics metrics;

        Implementation(io.vertx.core.spi.transport.Transport delegate, long headTimeoutMillis, ProxyMetrics metrics) {
            this.delegate = delegate;
            this.headTimeoutMillis = headTimeoutMillis;
            this.metrics = metrics;
        }

        @Override
        public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
            delegate.configure(options, domainSocket, bootstrap);
            ChannelHandler vertxInitializer = bootstrap.config().childHandler();
            bootstrap.childHandler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(vertxInitializer);
                    ch.pipeline().addFirst(ConnectionGuard.NAME, new ConnectionGuard(headTimeoutMillis, metrics));
                }
            });
        }

        @Override
        public boolean supportsDomainSockets() {
            return delegate.supportsDomainSockets();
        }

        @Override
        public boolean supportFileRegion() {
            return delegate.supportFileRegion();
        }

        @Override
        public boolean isAvailable() {
            return delegate.isAvailable();
        }

        @Override
        public Throwable unavailabilityCause() {
            return delegate.unavailabilityCause();
        }

        @Override
        public java.net.SocketAddress convert(SocketAddress address) {
            return delegate.convert(address);
        }

        @Override
        public SocketAddress convert(java.net.SocketAddress address) {
            return delegate.convert(address);
        }

        @Override
        public IoHandlerFactory ioHandlerFactory() {
            return delegate.ioHandlerFactory();
        }

        @Override
        public EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
            return delegate.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
        }

        @Override
        public DatagramChannel datagramChannel() {
            return delegate.datagramChannel();
        }

        @Override
        public DatagramChannel datagramChannel(InternetProtocolFamily family) {
            return delegate.datagramChannel(family);
        }

        @Override
        public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
            return delegate.channelFactory(domainSocket);
        }

        @Override
        public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
            return delegate.serverChannelFactory(domainSocket);
        }

        @Override
        public void configure(DatagramChannel channel, DatagramSocketOptions options) {
            delegate.configure(channel, options);
        }

        @Override
        public void configure(ClientOptionsBase options, int connectTimeout, boolean domainSocket,
                              io.netty.bootstrap.Bootstrap bootstrap) {
            delegate.configure(options, connectTimeout, domainSocket, bootstrap);
        }
    }
}
