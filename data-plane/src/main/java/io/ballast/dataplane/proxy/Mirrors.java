package io.ballast.dataplane.proxy;

import io.ballast.dataplane.metrics.MirrorMetrics;
import io.netty.channel.EventLoop;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the mirror copies of one proxy share: each event loop's backend connections, the counters, and each loop's
 * budget of copies held at once ({@link #MAX_HELD_PER_LOOP}, being read or sent), which bounds both the memory their
 * bodies take and the connections they open, so mirroring can never crowd out the primary traffic. Thread-safe; a
 * loop's budget is only touched from that loop.
 */
final class Mirrors {
    /** Copies one event loop holds at once; more requests are not mirrored ({@code busy}). */
    static final int MAX_HELD_PER_LOOP = 64;

    private final LoopConnections connections;
    private final MirrorMetrics metrics;
    private final PendingRequests pending;
    private final ConcurrentHashMap<EventLoop, Budget> budgets = new ConcurrentHashMap<>();

    /** One loop's count of held copies; confined to that loop. */
    static final class Budget {
        private int held;

        boolean reserve() {
            if (held >= MAX_HELD_PER_LOOP) {
                return false;
            }
            held++;
            return true;
        }

        void release() {
            held--;
        }
    }

    Mirrors(LoopConnections connections, MirrorMetrics metrics, PendingRequests pending) {
        this.connections = connections;
        this.metrics = metrics;
        this.pending = pending;
    }

    Budget budget(EventLoop loop) {
        Budget b = budgets.get(loop);
        return b != null ? b : budgets.computeIfAbsent(loop, l -> new Budget());
    }

    BackendConnections connections(EventLoop loop) {
        return connections.forLoop(loop);
    }

    MirrorMetrics metrics() {
        return metrics;
    }

    PendingRequests pending() {
        return pending;
    }
}
