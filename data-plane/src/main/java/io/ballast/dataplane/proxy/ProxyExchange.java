package io.ballast.dataplane.proxy;

import io.ballast.dataplane.metrics.AccessLog;
import io.ballast.dataplane.metrics.ProxyMetrics;
import io.ballast.dataplane.routing.ActionPlan;
import io.ballast.dataplane.routing.RequestVars;
import io.ballast.dataplane.routing.RouteMatch;
import io.ballast.dataplane.upstream.Member;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.ballast.model.FailureKind;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One client request on its way to a backend and back. It orchestrates and owns nothing long-lived itself:
 * {@link BackendSelection} picks members (and says when all are full, so it waits in the pending queue),
 * {@link Attempt} owns each try and its backend connection, {@link RetryState} decides about another try,
 * {@link ResponseRelay} carries the answer and its trailers, {@link WebSocketTunnel} carries the bytes after a
 * 101, {@link MirrorCopy} copies the request for the route's mirror (sent once the request is read whole, never
 * waited for), and {@link ExchangeLifecycle} releases the in-flight slot, the queue place and the timer on every path.
 * An exception on the exchange's own path ends in {@link #failed}, the one way out that still answers.
 *
 * <p>The request body streams as it arrives; pieces that come before the backend connection is ready (at most
 * one read batch, as the client is paused meanwhile) wait in a small queue. Every call runs on the client
 * connection's event loop, which is also the backend connection's. Not thread-safe; one instance per request.
 */
final class ProxyExchange implements Exchange, Runnable {
    private final Context context;
    private final DownstreamHandler down;
    private final HttpRequest request;
    private final UpstreamPool pool;
    private final String uri;
    private final boolean hasBody;
    private final boolean webSocket;
    private final boolean hadHost;
    /** The pool speaks HTTP/2 to its backends ({@code protocol: h2c | h2}): each attempt is a stream. */
    private final boolean http2Backend;
    private final RequestRecord record;
    private final BackendSelection selection;
    private final RetryState retry;
    private final ExchangeLifecycle lifecycle;
    private final ResponseRelay relay;
    /** The route's rewrites and header edits, with the values of their variables; both null on a plain route. */
    private final ActionPlan actions;
    private final RequestVars vars;
    private ArrayDeque<HttpContent> early;
    /** The body kept for a retry; null when the request has none, may not be retried, or outgrew the limit. */
    private RequestReplay replay;
    /** A retry attempt is connecting and has not had the kept body yet: the body must not be dropped now. */
    private boolean replayPending;
    private HttpRequest upstreamHead;
    private Attempt attempt;
    private boolean requestEnded;
    private boolean finished;
    /** The copy for the route's mirror while the request is read; null when the route does not mirror this request. */
    private MirrorCopy mirror;

    /** What every exchange of one proxy shares. */
    record Context(ProxyMetrics metrics, AccessLog accessLog, ForwardedHeaders forwarded, PendingRequests pending,
                   LoopConnections connections, Mirrors mirrors) {
        Context(ProxyMetrics metrics, AccessLog accessLog, ForwardedHeaders forwarded, PendingRequests pending,
                LoopConnections connections) {
            this(metrics, accessLog, forwarded, pending, connections, new Mirrors(connections, metrics.mirrors(), pending));
        }
    }

    ProxyExchange(Context context, DownstreamHandler down, HttpRequest request, RouteMatch match, String uri, boolean hasBody,
                  RequestRecord record) {
        this.context = context;
        this.down = down;
        this.request = request;
        this.pool = match.pool();
        this.uri = uri;
        this.hasBody = hasBody;
        this.webSocket = Upgrades.isWebSocket(request, down.http2());
        this.hadHost = request.headers().contains(HttpHeaderNames.HOST);
        this.http2Backend = pool.config().http2ToBackends();
        this.record = record;
        this.selection = new BackendSelection(pool, AffinityKeys.of(request.headers(), down.client(), pool.config()));
        this.retry = new RetryState(pool, request.method());
        if (hasBody && retry.mayEverRetry()) {
            replay = RequestReplay.forRequest(request.headers());
        }
        this.lifecycle = new ExchangeLifecycle(pool.name(), context.pending(), down.exchangeLimit());
        this.relay = new ResponseRelay(down, record, request.method());
        this.actions = match.actions();
        this.vars = actions != null && actions.editsHeaders() ? vars(down, record, request) : null;
        if (match.mirror() != null && !webSocket) {
            this.mirror = MirrorCopy.begin(context.mirrors(), match.mirror(), request.headers(), hasBody,
                    down.context().channel().eventLoop(), down.context().alloc(), record);
        }
    }

    /** What {@code ${client_ip}}, {@code ${request_id}}, {@code ${host}} and {@code ${scheme}} stand for. */
    static RequestVars vars(DownstreamHandler down, RequestRecord record, HttpRequest request) {
        return new RequestVars(down.client(), record.requestId(), request.headers().get(HttpHeaderNames.HOST), down.tls() ? "https" : "http");
    }

    void start() {
        try {
            begin();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void begin() {
        long timeout = pool.config().timeouts().request().toMillis();
        if (timeout > 0) {
            RequestDeadline deadline = down.requestDeadline();
            if (deadline != null) {
                lifecycle.startTimer(deadline, timeout, this);
            } else {
                lifecycle.startTimer(down.context().executor(), timeout, this);
            }
        }
        context.metrics().poolRequest(pool.name());
        if (hasBody) {
            // Hold the body until a backend connection is ready to take it.
            down.pauseForBackend(true);
        }
        tryNext();
    }

    boolean webSocket() {
        return webSocket;
    }

    boolean http2Backend() {
        return http2Backend;
    }

    ProxyMetrics metrics() {
        return context.metrics();
    }

    long idleTimeoutNanos() {
        return TimeUnit.MILLISECONDS.toNanos(pool.config().timeouts().idle().toMillis());
    }

    // --- attempts -----------------------------------------------------------------------------------------

    private void tryNext() {
        tryNext(selection.next());
    }

    private void tryNext(Member member) {
        if (member == null) {
            if (selection.allFull()) {
                waitForSlot();
            } else if (selection.attempts() == 0) {
                record.flag(RequestRecord.Flag.UH);
                context.metrics().noBackend();
                answer(Problems.noHealthyBackend(down.version(), pool.name()));
            } else {
                record.flag(RequestRecord.Flag.UF);
                answer(Problems.badGateway(down.version(), pool.name()));
            }
            return;
        }
        if (selection.attempts() == 0) {
            pool.retryBudget().requested();
        }
        selection.tried(member);
        record.attempt(member.backend().name(), member.heartbeatKey());
        lifecycle.acquire(member);
        context.metrics().backendRequest(member.heartbeatKey());
        Attempt a = new Attempt(this, member);
        attempt = a;
        if (selection.attempts() > 1 && hasBody) {
            // The kept body goes first on the new connection; hold the client until then.
            replayPending = true;
            down.pauseForBackend(true);
        }
        long perTry = pool.retryRules().perTryTimeoutMillis();
        if (perTry > 0) {
            lifecycle.startTryTimer(down.context().executor(), perTry, () -> tryTimedOut(a));
        }
        a.start(context.connections().forLoop(down.context().channel().eventLoop()),
                (int) Math.min(Integer.MAX_VALUE, pool.config().timeouts().connect().toMillis()));
    }

    /** Every eligible member is full: wait in the pool's queue, or answer 503 (flag UO) when it is full too. */
    private void waitForSlot() {
        Integer configured = pool.config().maxPendingRequests();
        int maxPending = configured == null ? PendingRequests.DEFAULT_MAX_PENDING : configured;
        Runnable waiter = new Runnable() {
            @Override
            public void run() {
                // Woken by whichever event loop freed the slot: continue on our own.
                down.context().executor().execute(() -> {
                    if (lifecycle.woken(this) && !finished) {
                        try {
                            tryNext();
                        } catch (RuntimeException e) {
                            failed(e);
                        }
                    }
                });
            }
        };
        if (!lifecycle.waitForSlot(maxPending, waiter)) {
            record.flag(RequestRecord.Flag.UO);
            context.metrics().overloaded();
            answer(Problems.overloaded(down.version(), pool.name()));
            return;
        }
        // A slot freed between the selection and the offer would wake nobody: look once more.
        if (selection.next() != null && lifecycle.stopWaiting()) {
            tryNext();
        }
    }

    void attemptConnected(Attempt a) {
        if (a != attempt || finished) {
            a.abandon();
            return;
        }
        try {
            sendRequest(a);
        } catch (RuntimeException e) {
            // Called from a connect listener, whose exceptions Netty only logs: without this the exchange would
            // hang with its slot and timer held (issue 15: a header value the backend codec refuses did that).
            failed(e);
        }
    }

    private void sendRequest(Attempt a) {
        HttpRequest head = upstreamHead();
        if (!hadHost) {
            head.headers().set(HttpHeaderNames.HOST, a.member().backend().host() + ":" + a.member().backend().port());
        }
        a.write(head);
        if (!hasBody) {
            a.write(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            ArrayDeque<HttpContent> queued = early;
            early = null;
            if (replayPending) {
                // A retry: the kept copy holds every piece so far, those still queued included.
                replayPending = false;
                replay.writeTo(a);
                while (queued != null && !queued.isEmpty()) {
                    queued.poll().release();
                }
            }
            while (queued != null && !queued.isEmpty()) {
                a.write(queued.poll());
            }
            if (!requestEnded) {
                down.pauseForBackend(!a.writable());
            }
        }
        a.flush();
    }

    /** The request as the backend gets it, built once (a retry sends the same head). */
    private HttpRequest upstreamHead() {
        if (upstreamHead != null) {
            return upstreamHead;
        }
        HttpHeaders h = request.headers();
        String host = h.get(HttpHeaderNames.HOST);
        // TE is hop-by-hop, but "te: trailers" (which gRPC requires) says the client takes trailers, and so does this
        // hop toward an HTTP/2 backend, whose trailers the relay carries: it goes on to the backend.
        boolean teTrailers = http2Backend && HeaderHygiene.acceptsTrailers(h);
        HeaderHygiene.removeHopByHop(h);
        if (teTrailers) {
            h.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
        }
        if (down.http2()) {
            HeaderHygiene.removeHttp2Extensions(h);
        }
        // The proxy answers 100-continue itself.
        h.remove(HttpHeaderNames.EXPECT);
        context.forwarded().apply(down.client(), down.tls(), host, record.requestId(), down.viaHop(), h, down.lastForwarded());
        if (vars != null) {
            actions.editRequest(h, vars);
        }
        if (hasBody && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        if (webSocket) {
            Upgrades.requestUpgrade(h);
        }
        upstreamHead = new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), uri, h);
        return upstreamHead;
    }

    void attemptFailed(Attempt a, FailureKind kind, boolean midResponse) {
        if (a != attempt || finished) {
            return;
        }
        attempt = null;
        lifecycle.cancelTryTimer();
        lifecycle.releaseSlot();
        a.failed(pool);
        context.metrics().upstreamFailure();
        context.metrics().backendError(a.member().heartbeatKey());
        if (midResponse) {
            // A backend that breaks mid-body must not look like a complete response.
            record.flag(RequestRecord.Flag.UC);
            finished = true;
            end();
            down.abort();
            return;
        }
        record.tryEnded(kind.wireName());
        if (retried(retry.mayRetry(kind, selection.attempts(), down.headSent(), replayable()))) {
            return;
        }
        record.flag(RequestRecord.Flag.UF);
        answer(Problems.badGateway(down.version(), pool.name()));
    }

    /** {@code retries.perTryTimeout} passed without a response head. */
    private void tryTimedOut(Attempt a) {
        if (a != attempt || finished) {
            return;
        }
        attempt = null;
        a.abandon();
        lifecycle.releaseSlot();
        a.failed(pool);
        context.metrics().backendError(a.member().heartbeatKey());
        record.tryEnded(FailureKind.TIMEOUT.wireName());
        if (retried(retry.mayRetry(FailureKind.TIMEOUT, selection.attempts(), down.headSent(), replayable()))) {
            return;
        }
        record.flag(RequestRecord.Flag.UT);
        context.metrics().timeout();
        answer(Problems.gatewayTimeout(down.version(), pool.name()));
    }

    /**
     * Starts the next attempt when the policy allows one, another member can take it and the budget has room;
     * false leaves the answer to the caller.
     */
    private boolean retried(boolean allowed) {
        if (!allowed) {
            return false;
        }
        Member next = selection.next();
        // No member left: no retry; every one at its connection limit: the retry waits for a slot like a first try.
        if ((next == null && !selection.allFull()) || !retry.takeBudget()) {
            return false;
        }
        context.metrics().retry();
        tryNext(next);
        return true;
    }

    /** The request can be sent again whole: it has no body, or the whole of it so far is kept. */
    private boolean replayable() {
        return !hasBody || replay != null;
    }

    // --- request body -------------------------------------------------------------------------------------

    @Override
    public void requestContent(HttpContent content, boolean last) {
        HttpContent piece = content instanceof FullHttpRequest full ? lastOf(full) : content;
        record.bytesIn += piece.content().readableBytes();
        if (last) {
            requestEnded = true;
        }
        if (mirror != null) {
            mirrorPiece(piece, last);
        }
        if (finished || !hasBody) {
            piece.release();
            return;
        }
        if (replay != null && !replay.keep(piece, replayPending)) {
            // Too long to keep: this request will not be retried again. (A retry that is connecting keeps its
            // copy whole: the client is paused meanwhile, so that is at most one more read batch.)
            replay = null;
        }
        Attempt a = attempt;
        if (a != null && a.ready() && early == null) {
            a.write(piece);
        } else {
            if (early == null) {
                early = new ArrayDeque<>(4);
            }
            early.add(piece);
        }
    }

    /** Copies the piece for the mirror; with the last one, the copy goes out (with the head the backend gets). */
    private void mirrorPiece(HttpContent piece, boolean last) {
        MirrorCopy copy = mirror;
        if (!copy.keep(piece)) {
            mirror = null;
        } else if (last) {
            mirror = null;
            HttpRequest head;
            try {
                head = upstreamHead();
            } catch (RuntimeException e) {
                // The head cannot be built: the primary attempt meets the same failure on its own path and answers.
                copy.cancel();
                return;
            }
            copy.requestEnded(head, hadHost);
        }
    }

    /** The exchange ends before the request was read whole: no copy goes out. */
    private void cancelMirror() {
        MirrorCopy copy = mirror;
        if (copy != null) {
            mirror = null;
            copy.cancel();
        }
    }

    /** An HTTP/2 request whose headers ended the stream arrives whole: its (empty or short) body as a last piece. */
    private static LastHttpContent lastOf(FullHttpRequest full) {
        LastHttpContent last = full.content().isReadable()
                ? new DefaultLastHttpContent(full.content().retain(), full.trailingHeaders())
                : LastHttpContent.EMPTY_LAST_CONTENT;
        full.release();
        return last;
    }

    @Override
    public void requestReadComplete() {
        Attempt a = attempt;
        if (a != null) {
            a.flush();
        }
    }

    void backendWritabilityChanged(boolean writable) {
        if (!requestEnded && !finished) {
            down.pauseForBackend(!writable);
        }
    }

    // --- response -----------------------------------------------------------------------------------------

    void responseHead(Attempt a, HttpResponse response) {
        record.upstreamResponded();
        lifecycle.cancelTryTimer();
        int status = response.status().code();
        if (status == 101) {
            switchProtocols(a, response);
            return;
        }
        a.answered(pool, status);
        if (status >= 500 && retryAnswer(a, status)) {
            return;
        }
        AffinityKeys.remember(response.headers(), down.tls(), pool.config(), selection.key(), a.member().affinityId());
        context.metrics().responded(pool.name(), status);
        if (status >= 500) {
            context.metrics().backendError(a.member().heartbeatKey());
        }
        if (vars != null) {
            actions.editResponse(response.headers(), vars);
        }
        if (actions != null && down.tls()) {
            actions.addHsts(response.headers());
        }
        relay.head(response, down.viaHop());
        if (!down.isWritable()) {
            a.autoRead(false);
        }
    }

    /** A 5xx that {@code retries.on} names: drop it (and its connection) and try another member. */
    private boolean retryAnswer(Attempt a, int status) {
        if (!retry.mayRetryStatus(status, selection.attempts(), down.headSent(), replayable())) {
            return false;
        }
        Member next = selection.next();
        if (next == null || !retry.takeBudget()) {
            // Nobody else to ask: the client gets this answer rather than a 502 of our own.
            return false;
        }
        attempt = null;
        a.abandon();
        lifecycle.releaseSlot();
        context.metrics().backendError(a.member().heartbeatKey());
        context.metrics().retry();
        record.tryEnded(Integer.toString(status));
        tryNext(next);
        return true;
    }

    void responseContent(HttpContent content) {
        if (finished) {
            content.release();
            return;
        }
        relay.content(content);
    }

    void responseLast(Attempt a, LastHttpContent last) {
        if (finished) {
            last.release();
            return;
        }
        finished = true;
        attempt = null;
        relay.prepareLast(last);
        // Released before the last write: that write may start the next (pipelined) exchange on this connection.
        end();
        relay.sendLast(last);
    }

    void backendReadComplete() {
        down.flush();
    }

    @Override
    public void downstreamWritabilityChanged(boolean writable) {
        Attempt a = attempt;
        if (a != null) {
            a.autoRead(writable);
        }
    }

    /**
     * The backend accepted the WebSocket upgrade: answer the client 101 with the backend's handshake fields and
     * splice the two connections until either side closes. The request timeout does not apply to the tunnel;
     * the in-flight slot stays taken until it closes.
     */
    private void switchProtocols(Attempt a, HttpResponse response) {
        finished = true;
        attempt = null;
        a.answered(pool, 101);
        context.metrics().responded(pool.name(), 101);
        HeaderHygiene.removeHopByHop(response.headers());
        Upgrades.requestUpgrade(response.headers());
        ForwardedHeaders.applyToResponse(down.viaHop(), record.requestId(), response.headers());
        record.status(101);
        lifecycle.cancelTimer();
        down.sendSwitchingProtocols(response);
        down.startTunnel(new WebSocketTunnel(down.context().channel(), a.switchedConnection(), lifecycle));
        record.write(context.metrics(), context.accessLog(), false);
    }

    // --- endings ------------------------------------------------------------------------------------------

    /** The request timer. */
    @Override
    public void run() {
        if (finished) {
            return;
        }
        try {
            timedOut();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void timedOut() {
        record.flag(RequestRecord.Flag.UT);
        context.metrics().timeout();
        Attempt a = attempt;
        attempt = null;
        if (a != null) {
            a.abandon();
        }
        if (down.headSent()) {
            finished = true;
            end();
            down.abort();
        } else {
            answer(Problems.gatewayTimeout(down.version(), pool.name()));
        }
    }

    @Override
    public void downstreamClosed() {
        Attempt a = attempt;
        attempt = null;
        if (a != null) {
            a.abandon();
        }
        boolean gone = !finished;
        finished = true;
        if (early != null) {
            early.forEach(HttpContent::release);
            early = null;
        }
        dropReplay();
        cancelMirror();
        lifecycle.end();
        record.write(context.metrics(), context.accessLog(), gone);
    }

    @Override
    public void requestMalformed(RefusedRequest why) {
        if (finished) {
            return;
        }
        record.flag(RequestRecord.Flag.DPE);
        Attempt a = attempt;
        attempt = null;
        if (a != null) {
            // No passive-health verdict: the backend did nothing wrong.
            a.abandon();
        }
        if (down.headSent()) {
            finished = true;
            end();
            down.abort();
            return;
        }
        down.closeAfterResponse();
        answer(Problems.of(down.version(), why.status, why.type, why.title, why.detail));
    }

    /**
     * The one way out after an unexpected exception on the exchange's own path (a connect listener, the timer,
     * the pending queue, the start): the attempt is dropped, the client gets an answer while it can (400 when a
     * codec refused what the client sent, 502 otherwise), else its stream or connection is cut, and the
     * lifecycle releases everything.
     */
    void failed(RuntimeException cause) {
        Attempt a = attempt;
        attempt = null;
        if (a != null) {
            a.abandon();
        }
        boolean input = cause instanceof IllegalArgumentException;
        record.flag(input ? RequestRecord.Flag.DPE : RequestRecord.Flag.UF);
        if (!finished && !down.headSent()) {
            try {
                answer(input ? Problems.of(down.version(), 400, "bad-request", "Bad request", "The request cannot be forwarded.")
                        : Problems.badGateway(down.version(), pool.name()));
                return;
            } catch (RuntimeException again) {
                // fall through: cut the connection, release what is held
            }
        }
        finished = true;
        end();
        down.abort();
    }

    /** The proxy answers the client itself. */
    private void answer(FullHttpResponse response) {
        finished = true;
        response.headers().set(ForwardedHeaders.X_REQUEST_ID, record.requestId());
        if (actions != null && down.tls()) {
            actions.addHsts(response.headers());
        }
        int status = response.status().code();
        record.status(status);
        record.bytesOut = response.content().readableBytes();
        context.metrics().responded(pool.name(), status);
        end();
        down.sendLocal(response, false);
    }

    private void end() {
        if (early != null) {
            early.forEach(HttpContent::release);
            early = null;
        }
        dropReplay();
        cancelMirror();
        if (hasBody) {
            // Whatever is left of the body is read and dropped.
            down.pauseForBackend(false);
        }
        lifecycle.end();
        record.write(context.metrics(), context.accessLog(), false);
    }

    private void dropReplay() {
        if (replay != null) {
            replay.release();
            replay = null;
        }
    }
}
