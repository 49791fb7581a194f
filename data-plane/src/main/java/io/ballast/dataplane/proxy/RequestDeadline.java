package io.ballast.dataplane.proxy;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The request timer of one HTTP/1 client connection, re-armed for each of its exchanges instead of scheduled and
 * cancelled per request: a keep-alive connection carries one exchange at a time, so one scheduled task can serve
 * them all. Arming moves the deadline; the task, when it fires early (the deadline moved on), schedules itself
 * for what remains, and when the exchange is over, does nothing. So a busy connection costs one scheduled task
 * per timeout period rather than a task, a heap insertion and a removal per request. A deadline earlier than
 * the scheduled task (a route with a shorter timeout) reschedules it. Confined to the connection's event loop;
 * not thread-safe.
 */
final class RequestDeadline implements Runnable {
    private final EventExecutor loop;
    private ScheduledFuture<?> task;
    /** When {@link #task} runs, in {@link System#nanoTime} terms. */
    private long taskAtNanos;
    private long deadlineNanos;
    /** Told when the deadline passes; null while no exchange is timed. */
    private Runnable onTimeout;

    RequestDeadline(EventExecutor loop) {
        this.loop = loop;
    }

    /** Calls {@code onTimeout} in {@code millis} unless {@link #disarm}ed or re-armed first. */
    void arm(long millis, Runnable onTimeout) {
        long now = System.nanoTime();
        this.deadlineNanos = now + TimeUnit.MILLISECONDS.toNanos(millis);
        this.onTimeout = onTimeout;
        if (task != null && taskAtNanos - deadlineNanos > 0) {
            task.cancel(false);
            task = null;
        }
        if (task == null) {
            schedule(deadlineNanos - now);
        }
    }

    /** Stops timing {@code owner}'s exchange; a later exchange's arming is left alone. */
    void disarm(Runnable owner) {
        if (onTimeout == owner) {
            onTimeout = null;
        }
    }

    /** The connection is gone: no task may outlive it. */
    void close() {
        onTimeout = null;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    @Override
    public void run() {
        task = null;
        Runnable target = onTimeout;
        if (target == null) {
            return;
        }
        long left = deadlineNanos - System.nanoTime();
        if (left > 0) {
            schedule(left);
            return;
        }
        onTimeout = null;
        target.run();
    }

    private void schedule(long nanos) {
        taskAtNanos = System.nanoTime() + nanos;
        task = loop.schedule(this, nanos, TimeUnit.NANOSECONDS);
    }
}
