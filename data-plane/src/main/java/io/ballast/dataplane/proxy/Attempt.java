package io.ballast.dataplane.proxy;

import io.ballast.dataplane.upstream.Member;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.ballast.model.FailureKind;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * One try of a request on one member, owning the backend connection it runs on: takes it from the event loop's
 * pool (or has one made), writes the request, turns what the backend answers into calls on its
 * {@link ProxyExchange}, tells passive health how it went, and at its end gives the connection back for reuse
 * or closes it when it cannot carry another request. Confined to the exchange's event loop; not thread-safe.
 */
final class Attempt implements BackendConnections.ConnectListener, BackendConnection.Owner {
    private final ProxyExchange exchange;
    private final Member member;
    private final long startNanos = System.nanoTime();
    private BackendConnection connection;
    private boolean done;
    private boolean requestComplete;
    private boolean responseStarted;
    /** Anything at all came back on this attempt (a 1xx too): a close after that is not a refused request. */
    private boolean received;
    private boolean reused;
    private boolean skippingInformational;
    private boolean keepAlive = true;

    Attempt(ProxyExchange exchange, Member member) {
        this.exchange = exchange;
        this.member = member;
    }

    Member member() {
        return member;
    }

    void start(BackendConnections connections, int connectTimeoutMillis) {
        if (exchange.http2Backend()) {
            // A stream of a shared HTTP/2 connection: the same events as an HTTP/1.1 connection of its own.
            connections.http2(exchange.metrics()).acquire(member.pool(), member.connectAddress(), connectTimeoutMillis,
                    exchange.idleTimeoutNanos(), this);
        } else {
            connections.acquire(member.pool(), member.connectAddress(), connectTimeoutMillis, this);
        }
    }

    @Override
    public void connected(BackendConnection c) {
        if (done) {
            c.release(exchange.idleTimeoutNanos());
            return;
        }
        connection = c;
        reused = c.served > 0;
        c.owner(this);
        exchange.attemptConnected(this);
    }

    @Override
    public void connectFailed(Throwable cause) {
        if (!done) {
            done = true;
            exchange.attemptFailed(this, FailureKind.CONNECT_FAILURE, false);
        }
    }

    // --- request ------------------------------------------------------------------------------------------

    void write(Object msg) {
        Channel ch = connection.channel();
        ch.write(msg, ch.voidPromise());
        if (msg instanceof LastHttpContent) {
            requestComplete = true;
        }
    }

    void flush() {
        if (connection != null && !done) {
            connection.channel().flush();
        }
    }

    /** Connected and not over: request pieces can be written. */
    boolean ready() {
        return connection != null && !done;
    }

    boolean writable() {
        return connection == null || connection.channel().isWritable();
    }

    /** Stops or resumes reading the response while the client cannot take more. */
    void autoRead(boolean on) {
        if (connection != null && !done) {
            connection.channel().config().setAutoRead(on);
        }
    }

    // --- response -----------------------------------------------------------------------------------------

    @Override
    public void backendRead(Object msg) {
        if (done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        received = true;
        if (msg instanceof HttpResponse response) {
            if (!response.decoderResult().isSuccess()) {
                // Not HTTP (garbage, a bad Content-Length …): nothing of it reaches the client.
                ReferenceCountUtil.release(msg);
                fail(false);
                return;
            }
            int code = response.status().code();
            if (code == 101 && !exchange.webSocket()) {
                // A switch nobody asked for (RFC 9110 §15.2.2): the bytes after it are not HTTP the proxy can relay.
                ReferenceCountUtil.release(msg);
                fail(false);
                return;
            }
            if (code < 200 && code != 101) {
                // 1xx (100, 103): the proxy answered Expect itself; informational heads are not relayed.
                skippingInformational = true;
                ReferenceCountUtil.release(msg);
                return;
            }
            responseStarted = true;
            keepAlive = response.headers().contains(HttpHeaderNames.CONNECTION)
                    ? HttpUtil.isKeepAlive(response) : response.protocolVersion() == HttpVersion.HTTP_1_1;
            if (code == 101) {
                // From here the connection belongs to the WebSocket tunnel the exchange opens.
                done = true;
                exchange.responseHead(this, response);
                return;
            }
            exchange.responseHead(this, response);
            if (done) {
                // The exchange retries elsewhere: nothing of this answer goes on.
                ReferenceCountUtil.release(msg);
                return;
            }
            if (!(msg instanceof HttpContent)) {
                return;
            }
        }
        if (msg instanceof HttpContent content) {
            if (skippingInformational) {
                skippingInformational = !(content instanceof LastHttpContent);
                content.release();
                return;
            }
            if (!content.decoderResult().isSuccess()) {
                content.release();
                fail(true);
                return;
            }
            if (content instanceof LastHttpContent last) {
                done = true;
                // Back in the pool first, so a pipelined next request on the same client can take it.
                if (keepAlive && requestComplete) {
                    connection.release(exchange.idleTimeoutNanos());
                } else {
                    connection.discard();
                }
                exchange.responseLast(this, last);
            } else {
                exchange.responseContent(content);
            }
            return;
        }
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void backendReadComplete() {
        exchange.backendReadComplete();
    }

    @Override
    public void backendWritabilityChanged(boolean writable) {
        exchange.backendWritabilityChanged(writable);
    }

    @Override
    public void backendClosed() {
        if (!done) {
            boolean refused = !received && connection.refusedStream();
            connection = null;
            fail(responseStarted, refused);
        }
    }

    private void fail(boolean midResponse) {
        fail(midResponse, false);
    }

    /** @param refusedStream an HTTP/2 backend said it did not process the stream (REFUSED_STREAM, or GOAWAY below it) */
    private void fail(boolean midResponse, boolean refusedStream) {
        done = true;
        if (connection != null) {
            connection.discard();
        }
        // A reused keep-alive connection that closes before a single byte of answer raced the backend's idle close:
        // the request was not processed (RFC 9112 §9.3.1), the HTTP/1.1 counterpart of HTTP/2's REFUSED_STREAM.
        FailureKind kind = refusedStream || (!received && reused) ? FailureKind.REFUSED_STREAM : FailureKind.RESET;
        exchange.attemptFailed(this, kind, midResponse);
    }

    /** The connection after a 101, for the tunnel. */
    BackendConnection switchedConnection() {
        return connection;
    }

    /** The exchange no longer wants this attempt (timeout, client gone): the connection cannot be reused. */
    void abandon() {
        if (!done) {
            done = true;
            if (connection != null) {
                connection.discard();
            }
        }
    }

    // --- passive health -----------------------------------------------------------------------------------

    void answered(UpstreamPool pool, int status) {
        member.live().stats().answered(status, System.nanoTime() - startNanos);
        pool.outliers().onResponse(member.live().health(), status);
    }

    void failed(UpstreamPool pool) {
        member.live().stats().failed();
        pool.outliers().onGatewayFailure(member.live().health());
    }
}
