package io.ballast.dataplane.proxy;

import io.ballast.dataplane.metrics.AccessLog;
import io.ballast.dataplane.metrics.AccessLogEntry;
import io.ballast.dataplane.metrics.ProxyMetrics;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/**
 * What the access log and the metrics need to know about one request, filled in as it goes and written once
 * when the response ends or the client goes away ({@link #write}). Lives on the request's event loop; not
 * thread-safe.
 */
final class RequestRecord {
    /** Envoy's response flags, in the order they are printed. */
    enum Flag {
        /** No healthy upstream. */ UH,
        /** Upstream connection failure. */ UF,
        /** Upstream request timeout. */ UT,
        /** Upstream connection terminated mid-exchange. */ UC,
        /** Downstream (client) connection terminated. */ DC,
        /** No route. */ NR,
        /** Upstream overflow: connection limit and pending queue full. */ UO,
        /** No config loaded yet (Envoy: NC, no cluster). */ NC,
        /** Request rejected as malformed or over a limit (Envoy: DPE, downstream protocol error). */ DPE,
        /** Refused by the route's rate limit, 429 (Envoy: RL). */ RL
    }

    private static final Flag[] FLAGS = Flag.values();

    private final HttpRequest request;
    private final String client;
    private final String protocol;
    private final long startNanos = System.nanoTime();
    private final long startMillis;
    private int flags;
    private String pool;
    private String backend;
    /** {@code pool/backend} of the last attempt (the key heartbeats count by); null before any. */
    private String backendKey;
    private int attempts;
    /** The attempts as JSON objects, only once one of them failed or was retried (a first try that answers costs nothing). */
    private StringBuilder tries;
    private boolean lastTryLogged;
    private long revision = -1;
    private String requestId;
    private long upstreamStart;
    private long upstreamMicros = -1;
    private int status;
    long bytesIn;
    long bytesOut;
    private boolean written;
    /** What became of the mirror copy (see {@code AccessLogEntry.mirror}); null on a route that does not mirror. */
    private String mirror;

    RequestRecord(HttpRequest request, String client, String protocol, boolean logged) {
        this.request = request;
        this.client = client;
        this.protocol = protocol;
        this.startMillis = logged ? System.currentTimeMillis() : 0;
    }

    void flag(Flag f) {
        flags |= 1 << f.ordinal();
    }

    void revision(long r) {
        revision = r;
    }

    void pool(String name) {
        pool = name;
    }

    void requestId(String id) {
        requestId = id;
    }

    String requestId() {
        return requestId;
    }

    /** The status of the response head sent to the client. */
    void status(int s) {
        status = s;
    }

    int status() {
        return status;
    }

    /** An attempt to {@code backendName} ({@code backendKey}: its heartbeat key) is being sent. */
    void attempt(String backendName, String backendKey) {
        backend = backendName;
        this.backendKey = backendKey;
        attempts++;
        lastTryLogged = false;
        upstreamStart = System.nanoTime();
    }

    /** The current attempt ended in {@code outcome} (a failure kind, or a status that was retried). */
    void tryEnded(String outcome) {
        if (tries == null) {
            tries = new StringBuilder(96);
        } else {
            tries.append(',');
        }
        tries.append("{\"backend\":\"").append(backend).append("\",\"outcome\":\"").append(outcome).append("\"}");
        lastTryLogged = true;
    }

    private String triesJson() {
        if (tries == null) {
            return null;
        }
        if (!lastTryLogged) {
            tryEnded(status == 0 ? "none" : Integer.toString(status));
        }
        return "[" + tries + "]";
    }

    void mirror(String outcome) {
        mirror = outcome;
    }

    void upstreamResponded() {
        upstreamMicros = (System.nanoTime() - upstreamStart) / 1000;
    }

    /** Counts the request and logs it; the first call wins (response end, or the connection closing first). */
    void write(ProxyMetrics metrics, AccessLog log, boolean clientGone) {
        if (written) {
            return;
        }
        written = true;
        if (clientGone) {
            flag(Flag.DC);
        }
        long durationNanos = System.nanoTime() - startNanos;
        metrics.completed(pool == null ? ProxyMetrics.NO_POOL : pool, backendKey, status, durationNanos, bytesIn, bytesOut);
        if (log.enabled()) {
            String authority = request.headers().get(HttpHeaderNames.HOST);
            log.offer(new AccessLogEntry(startMillis, client, request.method().name(), authority, request.uri(), protocol, status,
                    bytesIn, bytesOut, durationNanos / 1000, upstreamMicros, pool, backend, attempts, revision, requestId, flagText(),
                    triesJson(), mirror));
        }
    }

    private String flagText() {
        if (flags == 0) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        for (Flag f : FLAGS) {
            if ((flags & (1 << f.ordinal())) != 0) {
                sb.append(sb.isEmpty() ? "" : ",").append(f.name());
            }
        }
        return sb.toString();
    }
}
