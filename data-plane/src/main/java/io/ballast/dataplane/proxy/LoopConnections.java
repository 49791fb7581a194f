package io.ballast.dataplane.proxy;

import io.ballast.dataplane.address.AddressGate;
import io.ballast.dataplane.tls.BackendTlsStore;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The backend connection pools, one per event loop, so an exchange always takes a connection made on its own
 * loop. The map is filled at construction and only read afterwards: thread-safe.
 */
final class LoopConnections {
    private final Map<EventLoop, BackendConnections> byLoop = new IdentityHashMap<>();
    private final OpenBackendConnections open = new OpenBackendConnections();

    LoopConnections(EventLoopGroup group, ChannelFactory<? extends Channel> channels, AddressGate gate) {
        this(group, channels, gate, new BackendTlsStore());
    }

    /** @param backendTls the pools' backend TLS, swapped by each snapshot */
    LoopConnections(EventLoopGroup group, ChannelFactory<? extends Channel> channels, AddressGate gate, BackendTlsStore backendTls) {
        for (EventExecutor e : group) {
            EventLoop loop = (EventLoop) e;
            byLoop.put(loop, new BackendConnections(loop, channels, gate, backendTls::current, open));
        }
    }

    BackendConnections forLoop(EventLoop loop) {
        return byLoop.get(loop);
    }

    /** Connections open now to {@code address} (as configured, unresolved), busy or idle, on every loop. */
    int open(InetSocketAddress address) {
        return open.count(address);
    }

    /** Closes every idle backend connection (each pool on its own loop); later releases close at once. */
    void closeAll() {
        byLoop.values().forEach(c -> c.loop().execute(c::closeAll));
    }
}
