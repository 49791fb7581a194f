package io.ballast.dataplane.health;

import io.ballast.dataplane.address.AddressForbiddenException;
import io.ballast.dataplane.address.AddressGate;
import io.ballast.model.validation.AddressPolicy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.concurrent.TimeUnit;

/**
 * The real probes, chosen by the check's {@code type}; owns their clients. Every probe first passes the
 * {@link AddressGate}: the backend's host is resolved and judged by the shared address policy, and the probe
 * connects to the address that was judged; a forbidden one fails as {@code AddressForbidden} without a
 * connection. Thread-safe.
 */
public final class Probes implements Probe {
    private static final System.Logger LOG = System.getLogger(Probes.class.getName());
    /**
     * How long a close may wait for the probe clients. Vert.x 5.0.7's pooled HTTP client can lose the completion of
     * a connect that times out while it closes (an NPE in SharedHttpClientConnectionGroup), and a stop must not
     * hang on a probe.
     */
    private static final long CLOSE_TIMEOUT_MILLIS = 2_000;
    /**
     * Bounds a probe's TCP connect (a black-holed backend) so it gives its pool slot back; each probe's own
     * {@code healthCheck.timeout} already fails the probe sooner.
     */
    private static final int PROBE_CONNECT_TIMEOUT_MILLIS = 10_000;

    private final Vertx vertx;
    private final HttpClient httpClient;
    /** HTTP/2 only, for gRPC checks: prior knowledge in cleartext, ALPN h2 over TLS. */
    private final HttpClient grpcClient;
    private final NetClient netClient;
    private final HttpProbe http;
    private final GrpcProbe grpc;
    private final TcpProbe tcp;
    private final AddressGate gate;

    /** Probes under the default policy (metadata and link-local space refused, private ranges allowed). */
    public Probes(Vertx vertx) {
        this(vertx, AddressGate.system(vertx, AddressPolicy.DEFAULT));
    }

    public Probes(Vertx vertx, AddressGate gate) {
        this(vertx, gate, new io.ballast.dataplane.tls.BackendTlsStore());
    }

    /** @param backendTls the pools' backend TLS: HTTP checks of a TLS pool go over HTTPS with the same settings */
    public Probes(Vertx vertx, AddressGate gate, io.ballast.dataplane.tls.BackendTlsStore backendTls) {
        this.vertx = vertx;
        this.gate = gate;
        // Pooled keep-alive connections: a probe every second to every backend should not open a socket each time.
        this.httpClient = vertx.httpClientBuilder()
                .with(new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(30).setConnectTimeout(PROBE_CONNECT_TIMEOUT_MILLIS)
                        .setName("ballast-health"))
                .with(new PoolOptions().setHttp1MaxSize(2))
                // A backend that goes away resets the pooled connection. Without a handler Vert.x logs that at SEVERE
                // (ConnectionBase); it is an expected event, which the failed probe reports as a health transition.
                .withConnectHandler(connection -> connection.exceptionHandler(error ->
                        LOG.log(System.Logger.Level.DEBUG, "health-check connection to {0}: {1}", connection.remoteAddress(), error.toString())))
                .build();
        this.grpcClient = vertx.httpClientBuilder()
                .with(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
                        .setUseAlpn(true).setKeepAlive(true).setKeepAliveTimeout(30)
                        .setConnectTimeout(PROBE_CONNECT_TIMEOUT_MILLIS).setName("ballast-health-grpc"))
                .withConnectHandler(connection -> connection.exceptionHandler(error ->
                        LOG.log(System.Logger.Level.DEBUG, "gRPC health-check connection to {0}: {1}", connection.remoteAddress(), error.toString())))
                .build();
        this.netClient = vertx.createNetClient(new NetClientOptions());
        this.http = new HttpProbe(httpClient, pool -> backendTls.current().forPool(pool));
        this.tcp = new TcpProbe(netClient);
        this.grpc = new GrpcProbe(grpcClient, pool -> backendTls.current().forPool(pool));
    }

    @Override
    public Future<ProbeOutcome> probe(HealthTarget target) {
        // The lookup counts against the check's timeout: a resolver that hangs fails the probe in time.
        return gate.check(target.host())
                .timeout(Math.max(1, target.check().timeout().toMillis()), TimeUnit.MILLISECONDS)
                .compose(address -> switch (target.check().type()) {
                    case "tcp" -> tcp.probe(target, address);
                    case "grpc" -> grpc.probe(target, address);
                    default -> http.probe(target, address);
                })
                .otherwise(error -> error instanceof AddressForbiddenException
                        ? ProbeOutcome.fail(AddressForbiddenException.REASON) : ProbeFailures.classify(error));
    }

    public Future<Void> close() {
        Promise<Void> closed = Promise.promise();
        long timer = vertx.setTimer(CLOSE_TIMEOUT_MILLIS, id -> closed.tryComplete());
        Future.join(httpClient.close(), grpcClient.close(), netClient.close()).onComplete(ar -> {
            vertx.cancelTimer(timer);
            closed.tryComplete();
        });
        return closed.future();
    }
}
