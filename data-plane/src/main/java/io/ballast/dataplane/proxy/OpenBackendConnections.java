package io.ballast.dataplane.proxy;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many connections to each backend address are open now, busy or idle, over every event loop: the "active
 * connections" the heartbeat reports (HAProxy's stats page shows the same). Counted when a connection is made and
 * when it closes, never per request, so the shared counter costs one atomic add per connection. Keyed by the address
 * as configured (host and port, unresolved), which pools naming the same address share. Thread-safe.
 */
final class OpenBackendConnections {
    private final Map<InetSocketAddress, AtomicInteger> open = new ConcurrentHashMap<>();

    void opened(InetSocketAddress address) {
        open.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
    }

    void closed(InetSocketAddress address) {
        // The entry stays at zero: addresses are few and a backend that reconnects would only recreate it.
        AtomicInteger n = open.get(address);
        if (n != null) {
            n.decrementAndGet();
        }
    }

    /** Open connections to {@code address} now. */
    int count(InetSocketAddress address) {
        AtomicInteger n = open.get(address);
        return n == null ? 0 : Math.max(0, n.get());
    }
}
