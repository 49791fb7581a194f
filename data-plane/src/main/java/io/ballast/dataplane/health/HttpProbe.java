package io.ballast.dataplane.health;

import io.ballast.model.HealthCheck;
import io.vertx.core.Future;
import io.ballast.dataplane.tls.BackendTls;
import io.vertx.core.http.HttpClient;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP probe: {@code method path} with the check's Host header; passes when the status is one of the
 * expected statuses. The body is drained so the pooled keep-alive connection can be reused for the next
 * probe. Thread-safe (the client is).
 */
final class HttpProbe {
    private final HttpClient client;
    private final java.util.function.Function<String, BackendTls> tlsOfPool;

    HttpProbe(HttpClient client) {
        this(client, pool -> null);
    }

    /** @param tlsOfPool the backend TLS of a pool (null: cleartext), so a TLS pool is checked over HTTPS with its settings */
    HttpProbe(HttpClient client, java.util.function.Function<String, BackendTls> tlsOfPool) {
        this.client = client;
        this.tlsOfPool = tlsOfPool;
    }

    /** Probes {@code target} at {@code address} (what its host resolved to); Host still names the target. */
    Future<ProbeOutcome> probe(HealthTarget target, InetAddress address) {
        HealthCheck check = target.check();
        long timeout = Math.max(1, check.timeout().toMillis());
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(check.method()))
                .setHost(address.getHostAddress())
                .setPort(target.port())
                .setURI(check.path())
                // No per-request connect timeout: Vert.x 5.0.7 throws from that timer when it fires while the
                // client closes (SharedHttpClientConnectionGroup: `err == null & res` with res null) and the
                // close then never completes. The timeout() below bounds the whole probe instead, and the
                // client's own connect timeout (Probes) bounds the socket.
                .setIdleTimeout(timeout);
        BackendTls tls = tlsOfPool.apply(target.pool());
        if (tls != null) {
            // Connect to the judged address; the name (SNI, certificate verification) is the pool's or the backend's.
            options.setServer(SocketAddress.inetSocketAddress(target.port(), address.getHostAddress()))
                    .setHost(tls.serverName(target.host())).setSsl(true).setSslOptions(tls.probeOptions());
        }
        String host = check.host() != null && !check.host().isBlank() ? check.host() : target.host();
        return client.request(options)
                .compose(request -> {
                    request.authority(HostAndPort.create(host, target.port()));
                    request.putHeader("User-Agent", "ballast-health-check");
                    return request.send();
                })
                .compose(response -> response.end().map(v -> response.statusCode()))
                .timeout(timeout, TimeUnit.MILLISECONDS)
                .map(status -> ProbeOutcome.answered(status, check.accepts(status)))
                .otherwise(ProbeFailures::classify);
    }
}
