package io.ballast.dataplane.proxy;

import io.ballast.dataplane.lifecycle.DrainState;
import io.ballast.dataplane.metrics.ProxyMetrics;
import io.ballast.dataplane.lb.RequestKey;
import io.ballast.dataplane.routing.RouteMatch;
import io.ballast.dataplane.upstream.Member;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.ballast.model.RetryPolicy;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One client request on its way to a backend and back: picks a member, forwards head and streamed body,
 * streams the answer back, retries a refused or reset attempt on another member when that is safe, reports
 * each answer and failure to passive health checking, and enforces
 * the pool's request timeout. Every callback runs on the client connection's event loop, so the fields
 * need no locking. Not thread-safe; one instance per request.
 */
final class ProxyExchange {
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);

    private final Vertx vertx;
    private final HttpClient client;
    private final ProxyMetrics metrics;
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final UpstreamPool pool;
    private final String uri;
    private final boolean hasBody;
    private final boolean webSocket;
    private final RequestKey key;
    private final RequestRecord record;
    private final ForwardedHeaders forwarded;
    private final List<Member> tried = new ArrayList<>(2);
    private final PendingRequests pending;
    private final DrainState drain;
    private final Context context;
    /** Set while queued for a connection slot. */
    private Runnable waiting;
    /** The last selection found members but all at the connection limit. */
    private boolean allFull;
    private long timerId = -1;
    private boolean finished;
    private HttpClientRequest upstream;

    ProxyExchange(Vertx vertx, HttpClient client, ProxyMetrics metrics, HttpServerRequest request, RouteMatch match,
                  boolean hasBody, RequestRecord record, ForwardedHeaders forwarded, PendingRequests pending,
                  DrainState drain) {
        this.vertx = vertx;
        this.client = client;
        this.metrics = metrics;
        this.request = request;
        this.response = request.response();
        this.pool = match.pool();
        this.uri = request.query() == null ? match.path() : match.path() + "?" + request.query();
        this.hasBody = hasBody;
        this.webSocket = Upgrades.isWebSocket(request);
        this.key = AffinityKeys.of(request, pool.config());
        this.record = record;
        this.forwarded = forwarded;
        this.pending = pending;
        this.drain = drain;
        this.context = vertx.getOrCreateContext();
    }

    void start() {
        long timeout = pool.config().timeouts().request().toMillis();
        if (timeout > 0) {
            timerId = vertx.setTimer(timeout, id -> onTimeout());
        }
        metrics.poolRequest(pool.name());
        attempt();
    }

    private void attempt() {
        Member member = select();
        if (member == null && allFull) {
            waitForSlot();
            return;
        }
        if (member == null) {
            if (tried.isEmpty()) {
                record.flag(RequestRecord.Flag.UH);
                metrics.noBackend();
                answered(Problems.noHealthyBackend(response, pool.name()));
            } else {
                record.flag(RequestRecord.Flag.UF);
                answered(Problems.badGateway(response, pool.name()));
            }
            return;
        }
        if (tried.isEmpty()) {
            pool.retryBudget().requested();
        }
        tried.add(member);
        record.attempt(member.backend().name());
        Attempt attempt = new Attempt(member, () -> pending.slotFreed(pool.name()));
        metrics.backendRequest(member.heartbeatKey());
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setHost(member.backend().host())
                .setPort(member.backend().port())
                .setURI(uri)
                .setConnectTimeout(pool.config().timeouts().connect().toMillis());
        client.request(options).onComplete(ar -> {
            if (ar.succeeded()) {
                send(attempt, ar.result());
            } else {
                onAttemptFailed(attempt, "connect-failure");
            }
        });
    }

    /**
     * A member not yet tried, skipping those at {@code maxConnectionsPerBackend} (one HTTP/1.1 backend connection
     * carries one request, so requests in flight count connections). The check and the later acquire are not
     * atomic across event loops: a backend can exceed its limit by at most the number of event loops.
     */
    private Member select() {
        allFull = false;
        Member member = pool.selectExcluding(tried, key);
        Integer limit = pool.config().maxConnectionsPerBackend();
        if (limit == null) {
            return member;
        }
        List<Member> excluded = null;
        while (member != null && member.live().inFlight() >= limit) {
            if (excluded == null) {
                excluded = new ArrayList<>(tried);
            }
            excluded.add(member);
            member = pool.selectExcluding(excluded, key);
        }
        allFull = member == null && excluded != null;
        return member;
    }

    /** Every eligible member is full: wait in the pool's queue, or answer 503 (flag UO) when it is full too. */
    private void waitForSlot() {
        Integer configured = pool.config().maxPendingRequests();
        int maxPending = configured == null ? PendingRequests.DEFAULT_MAX_PENDING : configured;
        Runnable waiter = new Runnable() {
            @Override
            public void run() {
                context.runOnContext(v -> {
                    if (waiting == this) {
                        waiting = null;
                        if (!finished) {
                            attempt();
                        }
                    }
                });
            }
        };
        if (!pending.offer(pool.name(), maxPending, waiter)) {
            record.flag(RequestRecord.Flag.UO);
            metrics.overloaded();
            answered(Problems.overloaded(response, pool.name()));
            return;
        }
        waiting = waiter;
        // A slot freed between the selection and the offer would wake nobody: look once more.
        if (select() != null && pending.withdraw(pool.name(), waiter)) {
            waiting = null;
            attempt();
        }
    }

    private void stopWaiting() {
        Runnable w = waiting;
        if (w != null) {
            waiting = null;
            pending.withdraw(pool.name(), w);
        }
    }

    private void send(Attempt attempt, HttpClientRequest out) {
        if (finished) {
            attempt.release();
            out.reset();
            return;
        }
        upstream = out;
        MultiMap headers = out.headers();
        HeaderHygiene.copyEndToEnd(request.headers(), headers);
        // Our server answers 100-continue itself; the Host goes through authority() so it is preserved.
        headers.remove("Expect");
        String host = headers.get("Host");
        headers.remove("Host");
        if (host != null) {
            HostAndPort authority = HostAndPort.parseAuthority(host, -1);
            if (authority != null) {
                out.authority(authority);
            }
        }
        forwarded.apply(request, host, record.requestId(), headers);
        if (webSocket) {
            Upgrades.requestUpgrade(headers);
            // connect() switches the backend connection to raw bytes only if the backend really answers 101.
            out.connect().onComplete(ar -> {
                if (ar.failed()) {
                    onAttemptFailed(attempt, "reset");
                } else if (ar.result().statusCode() == 101) {
                    onSwitchingProtocols(attempt, ar.result());
                } else {
                    onResponse(attempt, ar.result());
                }
            });
            return;
        }
        out.response().onComplete(ar -> {
            if (ar.succeeded()) {
                onResponse(attempt, ar.result());
            } else {
                // No response head: the backend reset or closed the connection (e.g. it just died).
                onAttemptFailed(attempt, "reset");
            }
        });
        if (hasBody) {
            if (!headers.contains("Content-Length")) {
                out.setChunked(true);
            }
            // endOnFailure(false): a client that stops mid-body must not make the backend see a complete request.
            request.pipe().endOnFailure(false).to(out).onFailure(err -> out.reset());
        } else {
            out.end();
        }
    }

    private void onResponse(Attempt attempt, HttpClientResponse in) {
        if (finished) {
            attempt.release();
            in.request().reset();
            return;
        }
        record.upstreamResponded();
        int status = in.statusCode();
        attempt.answered(pool, status);
        response.setStatusCode(status);
        if (in.statusMessage() != null) {
            response.setStatusMessage(in.statusMessage());
        }
        HeaderHygiene.copyEndToEnd(in.headers(), response.headers());
        forwarded.applyToResponse(request, record.requestId(), response.headers());
        if (drain.closesConnections() && request.version() != HttpVersion.HTTP_2) {
            // A drain began while this request was in flight: its answer is the connection's last.
            response.putHeader("Connection", "close").bodyEndHandler(v -> request.connection().close());
        }
        AffinityKeys.remember(request, pool.config(), key, attempt.member.affinityId());
        if (!response.headers().contains("Content-Length") && !bodiless(status)) {
            response.setChunked(true);
        }
        metrics.responded(pool.name(), status);
        if (status >= 500) {
            metrics.backendError(attempt.member.heartbeatKey());
        }
        // endOnFailure(false): a backend that breaks mid-body must not look like a complete response.
        // endOnSuccess(false): the backend's trailers are known only at its end, and go out with ours.
        in.pipe().endOnFailure(false).endOnSuccess(false).to(response).onComplete(ar -> {
            attempt.release();
            if (ar.failed()) {
                record.flag(RequestRecord.Flag.UC);
                metrics.upstreamFailure();
                in.request().reset();
                response.reset();
            } else {
                if (response.isChunked()) {
                    HeaderHygiene.copyEndToEnd(in.trailers(), response.trailers());
                }
                response.end();
            }
            finish();
        });
    }

    /**
     * The backend accepted the WebSocket upgrade: answer the client 101 with the backend's handshake fields and
     * splice the two connections until either side closes. The request timeout does not apply to the tunnel.
     */
    private void onSwitchingProtocols(Attempt attempt, HttpClientResponse in) {
        if (finished) {
            attempt.release();
            in.netSocket().close();
            return;
        }
        // Finished as an HTTP exchange: from here the sockets' close handlers own the clean-up, and the server
        // closing the HTTP response (it becomes the tunnel) must not reset the backend side.
        finish();
        record.upstreamResponded();
        response.setStatusCode(101);
        HeaderHygiene.copyEndToEnd(in.headers(), response.headers());
        Upgrades.requestUpgrade(response.headers());
        metrics.responded(101);
        NetSocket backendSide = in.netSocket();
        request.toNetSocket().onComplete(ar -> {
            if (ar.failed()) {
                attempt.release();
                backendSide.close();
                return;
            }
            NetSocket clientSide = ar.result();
            clientSide.closeHandler(v -> backendSide.close());
            backendSide.closeHandler(v -> {
                clientSide.close();
                attempt.release();
            });
            clientSide.pipeTo(backendSide);
            backendSide.pipeTo(clientSide);
        });
    }

    private void onAttemptFailed(Attempt attempt, String kind) {
        attempt.release();
        if (finished) {
            return;
        }
        attempt.failed(pool);
        metrics.upstreamFailure();
        metrics.backendError(attempt.member.heartbeatKey());
        upstream = null;
        if (mayRetry(kind)) {
            metrics.retry();
            attempt();
            return;
        }
        record.flag(RequestRecord.Flag.UF);
        answered(Problems.badGateway(response, pool.name()));
    }

    /**
     * Only a request that can be sent again unchanged: idempotent, without a body (it was not buffered), and
     * nothing sent to the client yet, within the pool's attempts and retry budget. A failure before the
     * response head means the backend refused or dropped the connection (a stale keep-alive connection, a
     * process that just died). {@code gateway-error} covers both kinds, as outlier detection counts them.
     *
     * @param kind {@code connect-failure} or {@code reset}
     */
    private boolean mayRetry(String kind) {
        RetryPolicy retries = pool.config().retries();
        return !hasBody && IDEMPOTENT.contains(request.method()) && tried.size() < retries.attempts()
                && (retries.on().contains(kind) || retries.on().contains("gateway-error")) && !response.headWritten()
                && pool.retryBudget().tryRetry();
    }

    private void onTimeout() {
        if (finished) {
            return;
        }
        // Finished first: resetting the backend request fails its response future, which must not retry.
        finished = true;
        stopWaiting();
        record.flag(RequestRecord.Flag.UT);
        metrics.timeout();
        HttpClientRequest out = upstream;
        if (out != null) {
            out.reset();
        }
        if (response.headWritten()) {
            response.reset();
        } else {
            metrics.responded(pool.name(), Problems.gatewayTimeout(response, pool.name()));
        }
    }

    void onClientGone() {
        if (!finished) {
            finished = true;
            stopWaiting();
            vertx.cancelTimer(timerId);
            HttpClientRequest out = upstream;
            if (out != null) {
                out.reset();
            }
        }
    }

    /** The proxy answered the client itself. */
    private void answered(int status) {
        metrics.responded(pool.name(), status);
        finish();
    }

    private void finish() {
        if (!finished) {
            finished = true;
            vertx.cancelTimer(timerId);
        }
    }

    private boolean bodiless(int status) {
        return request.method() == HttpMethod.HEAD || status < 200 || status == 204 || status == 304;
    }

    /**
     * One try on one member; releases its in-flight slot exactly once (then wakes whoever waits for one) and tells
     * passive health how it went.
     */
    private static final class Attempt {
        private final Member member;
        private final Runnable onRelease;
        private final long startNanos = System.nanoTime();
        private boolean released;

        Attempt(Member member, Runnable onRelease) {
            this.member = member;
            this.onRelease = onRelease;
            member.live().acquire();
        }

        void answered(UpstreamPool pool, int status) {
            member.live().stats().answered(status, System.nanoTime() - startNanos);
            pool.outliers().onResponse(member.live().health(), status);
        }

        void failed(UpstreamPool pool) {
            member.live().stats().failed();
            pool.outliers().onGatewayFailure(member.live().health());
        }

        void release() {
            if (!released) {
                released = true;
                member.live().release();
                onRelease.run();
            }
        }
    }
}
