package io.ballast.dataplane.proxy;

import io.ballast.dataplane.metrics.MirrorMetrics.Outcome;
import io.ballast.dataplane.upstream.Member;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One mirror copy on its way to a member of the mirror pool: it takes an in-flight slot of that member (so the
 * pool's {@code maxConnectionsPerBackend}, least-requests and drains see it) but never waits for one, borrows a
 * keep-alive connection of the event loop, writes the whole copy, reads and drops the answer, and tells passive
 * health of the mirror pool how it went. Bounded by the mirror pool's request timeout. {@link #finish} releases
 * the slot, the loop's budget place, the timer and the connection on every path. Confined to its event loop; not
 * thread-safe.
 */
final class MirrorRequest implements BackendConnections.ConnectListener, BackendConnection.Owner {
    private final Mirrors mirrors;
    private final UpstreamPool pool;
    private final EventLoop loop;
    private final Mirrors.Budget budget;
    private final boolean setHost;
    private FullHttpRequest copy;
    private Member member;
    private BackendConnection connection;
    private ScheduledFuture<?> timer;
    private long sentNanos;
    private boolean keepAlive = true;
    private boolean skippingInformational;
    private int status;
    private boolean done;

    /** Takes over {@code copy} and the budget place. */
    MirrorRequest(Mirrors mirrors, UpstreamPool pool, EventLoop loop, Mirrors.Budget budget, FullHttpRequest copy, boolean setHost) {
        this.mirrors = mirrors;
        this.pool = pool;
        this.loop = loop;
        this.budget = budget;
        this.copy = copy;
        this.setHost = setHost;
    }

    /** Sends the copy; null when it is on its way, else why it was not sent (everything already released). */
    Outcome start() {
        Member m = pool.select();
        Outcome refused = null;
        if (m == null) {
            refused = Outcome.NO_BACKEND;
        } else {
            Integer limit = pool.config().maxConnectionsPerBackend();
            if (limit != null && m.live().inFlight() >= limit) {
                // A copy never queues: the primary traffic of this pool comes first.
                refused = Outcome.BUSY;
            }
        }
        if (refused != null) {
            done = true;
            copy.release();
            copy = null;
            budget.release();
            return refused;
        }
        member = m;
        m.live().acquire();
        if (setHost) {
            copy.headers().set(HttpHeaderNames.HOST, m.backend().host() + ":" + m.backend().port());
        }
        long timeout = pool.config().timeouts().request().toMillis();
        timer = loop.schedule(() -> finishWith(Outcome.TIMEOUT), timeout > 0 ? timeout : 30_000, TimeUnit.MILLISECONDS);
        sentNanos = System.nanoTime();
        mirrors.connections(loop).acquire(pool.name(), m.connectAddress(),
                (int) Math.min(Integer.MAX_VALUE, pool.config().timeouts().connect().toMillis()), this);
        return null;
    }

    @Override
    public void connected(BackendConnection c) {
        if (done) {
            c.release(idleNanos());
            return;
        }
        connection = c;
        c.owner(this);
        FullHttpRequest request = copy;
        copy = null;
        Channel ch = c.channel();
        ch.writeAndFlush(request, ch.voidPromise());
    }

    @Override
    public void connectFailed(Throwable cause) {
        finishWith(Outcome.FAILED);
    }

    @Override
    public void backendRead(Object msg) {
        if (done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            if (!response.decoderResult().isSuccess() || response.status().code() == 101) {
                ReferenceCountUtil.release(msg);
                finishWith(Outcome.FAILED);
                return;
            }
            int code = response.status().code();
            skippingInformational = code < 200;
            if (!skippingInformational) {
                status = code;
                keepAlive = response.headers().contains(HttpHeaderNames.CONNECTION)
                        ? HttpUtil.isKeepAlive(response) : response.protocolVersion() == HttpVersion.HTTP_1_1;
            }
        }
        if (msg instanceof HttpContent content) {
            boolean ok = content.decoderResult().isSuccess();
            boolean last = content instanceof LastHttpContent;
            content.release();
            if (!ok) {
                finishWith(Outcome.FAILED);
            } else if (last && skippingInformational) {
                skippingInformational = false;
            } else if (last) {
                member.live().stats().answered(status, System.nanoTime() - sentNanos);
                pool.outliers().onResponse(member.live().health(), status);
                if (keepAlive) {
                    BackendConnection c = connection;
                    connection = null;
                    c.release(idleNanos());
                }
                finishWith(Outcome.ANSWERED);
            }
            return;
        }
        if (!(msg instanceof HttpResponse)) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void backendReadComplete() {
    }

    @Override
    public void backendWritabilityChanged(boolean writable) {
        // The copy is at most mirror.maxBody and written at once: nothing to pace.
    }

    @Override
    public void backendClosed() {
        connection = null;
        finishWith(Outcome.FAILED);
    }

    private long idleNanos() {
        return TimeUnit.MILLISECONDS.toNanos(pool.config().timeouts().idle().toMillis());
    }

    /** The one way out: counts the outcome and releases everything held, once. */
    private void finishWith(Outcome outcome) {
        if (done) {
            return;
        }
        done = true;
        if (timer != null) {
            timer.cancel(false);
        }
        if (outcome == Outcome.FAILED || outcome == Outcome.TIMEOUT) {
            member.live().stats().failed();
            pool.outliers().onGatewayFailure(member.live().health());
        }
        if (connection != null) {
            connection.discard();
            connection = null;
        }
        if (copy != null) {
            copy.release();
            copy = null;
        }
        member.live().release();
        mirrors.pending().slotFreed(pool.name());
        budget.release();
        mirrors.metrics().count(pool.name(), outcome);
    }
}
