package io.ballast.dataplane.proxy;

import io.ballast.dataplane.metrics.AccessLog;
import io.ballast.dataplane.metrics.AccessLogEntry;
import io.ballast.dataplane.metrics.ProxyMetrics;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;

/**
 * What the access log and the metrics need to know about one request, filled in as it goes and written once
 * when the response ends or the client goes away. Lives on the request's event loop; not thread-safe.
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
        /** Request rejected as malformed or over a limit (Envoy: DPE, downstream protocol error). */ DPE
    }

    private final HttpServerRequest request;
    private final long startNanos = System.nanoTime();
    private final long startMillis = System.currentTimeMillis();
    private int flags;
    private String pool;
    private String backend;
    private int attempts;
    private long revision = -1;
    private String requestId;
    private long upstreamStart;
    private long upstreamMicros = -1;
    private boolean written;

    RequestRecord(HttpServerRequest request) {
        this.request = request;
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

    /** An attempt to {@code backendName} is being sent. */
    void attempt(String backendName) {
        backend = backendName;
        attempts++;
        upstreamStart = System.nanoTime();
    }

    void upstreamResponded() {
        upstreamMicros = (System.nanoTime() - upstreamStart) / 1000;
    }

    /**
     * Records the request when the response ends, or when the connection closes first (then {@code onClientGone}
     * runs too, so the exchange can abandon its backend request).
     */
    void writeWhenDone(ProxyMetrics metrics, AccessLog log, Runnable onClientGone) {
        HttpServerResponse response = request.response();
        response.endHandler(v -> write(metrics, log));
        response.closeHandler(v -> {
            if (!response.ended()) {
                flag(Flag.DC);
            }
            onClientGone.run();
            write(metrics, log);
        });
    }

    private void write(ProxyMetrics metrics, AccessLog log) {
        if (written) {
            return;
        }
        written = true;
        HttpServerResponse response = request.response();
        int status = response.headWritten() ? response.getStatusCode() : 0;
        long durationNanos = System.nanoTime() - startNanos;
        long in = request.bytesRead();
        long out = response.bytesWritten();
        metrics.completed(pool == null ? ProxyMetrics.NO_POOL : pool, status, durationNanos, in, out);
        if (log.enabled()) {
            SocketAddress remote = request.remoteAddress();
            log.offer(new AccessLogEntry(startMillis, remote == null ? null : remote.hostAddress(), request.method().name(),
                    request.authority() == null ? request.getHeader("Host") : request.authority().toString(), request.uri(),
                    protocol(), status, in, out, durationNanos / 1000, upstreamMicros, pool, backend, attempts, revision,
                    requestId, flagText()));
        }
    }

    private String protocol() {
        return switch (request.version()) {
            case HTTP_1_0 -> "HTTP/1.0";
            case HTTP_1_1 -> "HTTP/1.1";
            case HTTP_2 -> "HTTP/2";
        };
    }

    private String flagText() {
        if (flags == 0) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        for (Flag f : Flag.values()) {
            if ((flags & (1 << f.ordinal())) != 0) {
                sb.append(sb.isEmpty() ? "" : ",").append(f.name());
            }
        }
        return sb.toString();
    }
}
