package io.ballast.dataplane.lifecycle;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The drain sequence (API.md "High availability of Ballast itself"): readiness goes down at once, the node keeps
 * serving for the drain delay (so keepalived or a balancer in front moves traffic away first), then {@code stop}
 * runs: it stops accepting, lets requests in flight finish within the shutdown grace, and closes everything.
 * Started by {@code SIGTERM} ({@link ShutdownHook}) or {@code POST /drain}; a second start joins the first.
 * Thread-safe.
 */
public final class Drain {
    private static final System.Logger LOG = System.getLogger(Drain.class.getName());

    private final Vertx vertx;
    private final DrainState state;
    private final Duration delay;
    private final Supplier<Future<Void>> stop;
    private final Runnable onBegin;
    private final Promise<Void> done = Promise.promise();

    /**
     * @param onBegin runs once when the drain begins (the data plane leaves its control plane then, so a successor
     *                with the same node id, started to take over, is not pushed off again by this one)
     * @param stop stops accepting, waits for in-flight requests (bounded by the grace) and releases the rest;
     *             called once, off any request path
     */
    public Drain(Vertx vertx, DrainState state, Duration delay, Runnable onBegin, Supplier<Future<Void>> stop) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.state = requireNonNull(state, "state");
        this.delay = requireNonNull(delay, "delay");
        this.onBegin = requireNonNull(onBegin, "onBegin");
        this.stop = requireNonNull(stop, "stop");
    }

    /** Begins the drain (or joins the one under way); the future completes when the node has stopped. */
    public Future<Void> start() {
        if (state.begin()) {
            LOG.log(System.Logger.Level.INFO, "draining: /ready answers 503; serving for {0} ms more, then stopping", delay.toMillis());
            onBegin.run();
            vertx.setTimer(Math.max(1, delay.toMillis()), id -> {
                state.stopping();
                LOG.log(System.Logger.Level.INFO, "drain delay over: no longer accepting; letting requests in flight finish");
                stop.get().onComplete(done);
            });
        }
        return done.future();
    }

    /** Completes when a drain has run to its end. */
    public Future<Void> finished() {
        return done.future();
    }

    public DrainState state() {
        return state;
    }

    public Duration delay() {
        return delay;
    }
}
