package io.ballast.dataplane.proxy;

import io.ballast.dataplane.metrics.AccessLog;
import io.ballast.dataplane.metrics.ProxyMetrics;
import io.ballast.dataplane.routing.ConfigHolder;
import io.ballast.dataplane.settings.ListenAddress;
import io.ballast.dataplane.settings.ProxySettings;
import io.ballast.dataplane.tls.CertificateStore;
import io.ballast.dataplane.tls.TlsSettings;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the proxy on every listen address with one server instance per event loop. The first instance
 * binds first so that port 0 (tests) resolves to one real port that the other instances then share.
 * Thread-safe for one start and one stop.
 */
public final class ProxyServer {
    private final Vertx vertx;
    private final ConfigHolder holder;
    private final ProxyMetrics metrics;
    private final ProxySettings settings;
    private final AccessLog accessLog;
    private final ClientConnections connections;
    private final PendingRequests pending = new PendingRequests();
    private final List<String> deployments = new ArrayList<>();
    private volatile List<ListenAddress> bound = List.of();
    private volatile List<ListenAddress> boundTls = List.of();
    private TlsSettings tls = TlsSettings.NONE;
    private CertificateStore certificates = new CertificateStore();

    public ProxyServer(Vertx vertx, ConfigHolder holder, ProxyMetrics metrics, ProxySettings settings, AccessLog accessLog) {
        this.vertx = vertx;
        this.holder = holder;
        this.metrics = metrics;
        this.settings = settings;
        this.accessLog = accessLog;
        this.connections = new ClientConnections(settings, metrics);
    }

    /** Also listens with TLS on {@code tls.listen()}, serving the certificates of {@code store}. Call before {@link #start}. */
    public ProxyServer withTls(TlsSettings tlsSettings, CertificateStore store) {
        this.tls = tlsSettings;
        this.certificates = store;
        return this;
    }

    /** Listens; the future gives the bound addresses. */
    public Future<List<ListenAddress>> start(List<ListenAddress> addresses, int instances) {
        ProxyVerticle first = new ProxyVerticle(addresses, holder, metrics, settings, accessLog, connections, pending,
                tls.listen(), tls, certificates);
        return vertx.deployVerticle(first).compose(id -> {
            deployments.add(id);
            List<ListenAddress> actual = first.boundAddresses();
            List<ListenAddress> actualTls = first.boundTlsAddresses();
            bound = actual;
            boundTls = actualTls;
            if (instances <= 1) {
                return Future.succeededFuture(actual);
            }
            return vertx.deployVerticle(() -> new ProxyVerticle(actual, holder, metrics, settings, accessLog, connections, pending,
                                    actualTls, tls, certificates),
                            new DeploymentOptions().setInstances(instances - 1))
                    .map(id2 -> {
                        deployments.add(id2);
                        return actual;
                    });
        });
    }

    public List<ListenAddress> boundAddresses() {
        return bound;
    }

    /** TLS listener addresses as bound; empty without BALLAST_TLS_LISTEN. */
    public List<ListenAddress> boundTlsAddresses() {
        return boundTls;
    }

    /** Stops accepting, lets requests in flight finish (bounded), then closes. */
    public Future<Void> stop() {
        List<Future<Void>> undeploying = new ArrayList<>();
        for (String id : deployments) {
            undeploying.add(vertx.undeploy(id));
        }
        deployments.clear();
        return Future.join(undeploying).mapEmpty();
    }
}
