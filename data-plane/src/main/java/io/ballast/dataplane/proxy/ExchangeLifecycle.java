package io.ballast.dataplane.proxy;

import io.ballast.dataplane.upstream.Member;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one owner of what an exchange holds outside itself: the in-flight slot of the member it is using, its
 * place in the pool's queue of pending requests, its request timer, its attempt's per-try timer, and its place in
 * the client connection's {@link ExchangeLimit} (HTTP/2). {@link #end} releases all of them, once, on every path
 * (answered, failed, timed out, client gone, tunnel closed, an unexpected exception); each of the first four can
 * also be released early on its own (a failed attempt gives its slot back before the retry takes another). Confined to the exchange's
 * event loop; not thread-safe.
 */
final class ExchangeLifecycle {
    private final String pool;
    private final PendingRequests pending;
    /** Null when the connection sets no limit (HTTP/1.x carries one exchange at a time). */
    private final ExchangeLimit connectionLimit;
    private Member slot;
    private Runnable waiter;
    private ScheduledFuture<?> timer;
    /** The connection's timer instead of {@link #timer} (HTTP/1); null while not armed by this exchange. */
    private RequestDeadline deadline;
    private Runnable timed;
    private ScheduledFuture<?> tryTimer;
    private boolean ended;

    ExchangeLifecycle(String pool, PendingRequests pending, ExchangeLimit connectionLimit) {
        this.pool = pool;
        this.pending = pending;
        this.connectionLimit = connectionLimit;
        if (connectionLimit != null) {
            connectionLimit.opened();
        }
    }

    void startTimer(EventExecutor executor, long millis, Runnable onTimeout) {
        timer = executor.schedule(onTimeout, millis, TimeUnit.MILLISECONDS);
    }

    /** Times the exchange with its connection's re-armable timer (HTTP/1: one exchange at a time). */
    void startTimer(RequestDeadline connectionDeadline, long millis, Runnable onTimeout) {
        deadline = connectionDeadline;
        timed = onTimeout;
        deadline.arm(millis, onTimeout);
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (deadline != null) {
            deadline.disarm(timed);
            deadline = null;
            timed = null;
        }
    }

    /** The deadline of one attempt ({@code retries.perTryTimeout}); replaces the previous attempt's. */
    void startTryTimer(EventExecutor executor, long millis, Runnable onTimeout) {
        cancelTryTimer();
        tryTimer = executor.schedule(onTimeout, millis, TimeUnit.MILLISECONDS);
    }

    void cancelTryTimer() {
        if (tryTimer != null) {
            tryTimer.cancel(false);
            tryTimer = null;
        }
    }

    /** Takes an in-flight slot of {@code m} (counted for least-requests, limits and heartbeats). */
    void acquire(Member m) {
        releaseSlot();
        m.live().acquire();
        slot = m;
    }

    /** Gives the slot back and wakes the oldest request waiting for one in this pool. */
    void releaseSlot() {
        Member m = slot;
        if (m != null) {
            slot = null;
            m.live().release();
            pending.slotFreed(pool);
        }
    }

    /** Queues {@code w} for a slot unless the queue is full (false: answer 503). */
    boolean waitForSlot(int maxPending, Runnable w) {
        if (!pending.offer(pool, maxPending, w)) {
            return false;
        }
        waiter = w;
        return true;
    }

    /** True (and no longer queued) when {@code w} is still the waiter: it was woken, or withdrew itself. */
    boolean woken(Runnable w) {
        if (waiter == w) {
            waiter = null;
            return true;
        }
        return false;
    }

    /** Leaves the queue; true when it was still queued. */
    boolean stopWaiting() {
        Runnable w = waiter;
        if (w == null) {
            return false;
        }
        waiter = null;
        return pending.withdraw(pool, w);
    }

    boolean ended() {
        return ended;
    }

    /** Releases everything; later calls do nothing. */
    void end() {
        if (ended) {
            return;
        }
        ended = true;
        cancelTimer();
        cancelTryTimer();
        stopWaiting();
        releaseSlot();
        if (connectionLimit != null) {
            connectionLimit.closed();
        }
    }
}
