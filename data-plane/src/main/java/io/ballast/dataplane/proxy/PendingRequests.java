package io.ballast.dataplane.proxy;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests waiting for a connection slot because every eligible backend of their pool is at
 * {@code maxConnectionsPerBackend}; at most {@code maxPendingRequests} per pool wait, more are answered 503.
 * A freed slot wakes the oldest waiter of its pool, which then picks a backend again. Shared by every event
 * loop; thread-safe. A waiter runs its continuation on its own event loop (see {@link ProxyExchange}).
 */
final class PendingRequests {
    /** Waiters per pool when a pool sets a connection limit but no queue size (Envoy's default). */
    static final int DEFAULT_MAX_PENDING = 1024;

    private final Map<String, Waiters> byPool = new ConcurrentHashMap<>();

    /** Queues {@code waiter} unless the pool's queue is full; false means answer 503 now. */
    boolean offer(String pool, int maxPending, Runnable waiter) {
        Waiters w = byPool.computeIfAbsent(pool, p -> new Waiters());
        if (w.size.incrementAndGet() > maxPending) {
            w.size.decrementAndGet();
            return false;
        }
        w.queue.add(waiter);
        return true;
    }

    /** Removes a waiter that gave up (timeout, client gone); true when it was still queued. */
    boolean withdraw(String pool, Runnable waiter) {
        Waiters w = byPool.get(pool);
        if (w != null && w.queue.remove(waiter)) {
            w.size.decrementAndGet();
            return true;
        }
        return false;
    }

    /** A slot of {@code pool} was freed: wakes its oldest waiter, if any. */
    void slotFreed(String pool) {
        Waiters w = byPool.get(pool);
        if (w == null) {
            return;
        }
        Runnable next = w.queue.poll();
        if (next != null) {
            w.size.decrementAndGet();
            next.run();
        }
    }

    /** Requests of {@code pool} waiting for a connection slot now. */
    int waiting(String pool) {
        Waiters w = byPool.get(pool);
        return w == null ? 0 : w.size.get();
    }

    private static final class Waiters {
        final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
        final AtomicInteger size = new AtomicInteger();
    }
}
