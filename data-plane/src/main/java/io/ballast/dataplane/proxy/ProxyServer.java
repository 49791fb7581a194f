package io.ballast.dataplane.proxy;

import io.ballast.dataplane.lifecycle.DrainState;
import io.ballast.dataplane.metrics.AccessLog;
import io.ballast.dataplane.metrics.ProxyMetrics;
import io.ballast.dataplane.routing.ConfigHolder;
import io.ballast.dataplane.settings.ListenAddress;
import io.ballast.dataplane.settings.ProxySettings;
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
    private final DrainState drain;
    private final PendingRequests pending = new PendingRequests();
    private final List<String> deployments = new ArrayList<>();
    private volatile List<ListenAddress> bound = List.of();

    public ProxyServer(Vertx vertx, ConfigHolder holder, ProxyMetrics metrics, ProxySettings settings, AccessLog accessLog,
                       DrainState drain) {
        this.vertx = vertx;
        this.holder = holder;
        this.metrics = metrics;
        this.settings = settings;
        this.accessLog = accessLog;
        this.drain = drain;
        this.connections = new ClientConnections(settings, metrics);
    }

    /** Listens; the future gives the bound addresses. */
    public Future<List<ListenAddress>> start(List<ListenAddress> addresses, int instances) {
        ProxyVerticle first = new ProxyVerticle(addresses, holder, metrics, settings, accessLog, connections, pending, drain);
        return vertx.deployVerticle(first).compose(id -> {
            deployments.add(id);
            List<ListenAddress> actual = first.boundAddresses();
            bound = actual;
            if (instances <= 1) {
                return Future.succeededFuture(actual);
            }
            return vertx.deployVerticle(() -> new ProxyVerticle(actual, holder, metrics, settings, accessLog, connections, pending, drain),
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

    /**
     * Stops accepting, lets requests in flight finish (bounded by the shutdown grace), then closes. Vert.x's
     * {@code HttpServer.shutdown(grace)} does the protocol work: the listening socket closes when the last instance
     * stops, idle HTTP/1.x connections close at once, busy ones after their current answer, HTTP/2 ones get GOAWAY.
     */
    public Future<Void> stop() {
        List<Future<Void>> undeploying = new ArrayList<>();
        for (String id : deployments) {
            undeploying.add(vertx.undeploy(id));
        }
        deployments.clear();
        return Future.join(undeploying).mapEmpty();
    }
}
