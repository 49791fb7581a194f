package io.ballast.dataplane.proxy;

import io.ballast.dataplane.metrics.ProxyMetrics;
import io.ballast.dataplane.settings.ProxySettings;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Enforces the total client connection limit over every listener and event loop as connections are accepted,
 * and knows the open ones so a graceful stop can drain them. One instance is shared by every event loop;
 * thread-safe.
 */
final class ClientConnections {
    private final ProxySettings settings;
    private final ProxyMetrics metrics;
    private final AtomicInteger open = new AtomicInteger();
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final ChannelFutureListener onClose = f -> closed(f.channel());

    ClientConnections(ProxySettings settings, ProxyMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    /** Counts the connection and closes it when over the limit. */
    boolean admit(Channel ch) {
        if (open.incrementAndGet() > settings.maxClientConnections()) {
            open.decrementAndGet();
            metrics.connectionRejected();
            ch.close();
            return false;
        }
        metrics.connectionOpened();
        channels.add(ch);
        ch.closeFuture().addListener(onClose);
        return true;
    }

    private void closed(Channel ch) {
        channels.remove(ch);
        open.decrementAndGet();
        metrics.connectionClosed();
    }

    /** Client connections open now. */
    int open() {
        return open.get();
    }

    /** A snapshot of the open connections. */
    List<Channel> snapshot() {
        return List.copyOf(channels);
    }
}
