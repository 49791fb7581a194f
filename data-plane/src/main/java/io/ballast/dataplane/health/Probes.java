package io.ballast.dataplane.health;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

/**
 * The real probes, chosen by the check's {@code type}; owns their clients. Thread-safe.
 */
public final class Probes implements Probe {
    private final HttpClient httpClient;
    private final NetClient netClient;
    private final Probe http;
    private final Probe tcp;

    public Probes(Vertx vertx) {
        // Pooled keep-alive connections: a probe every second to every backend should not open a socket each time.
        this.httpClient = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(30).setName("ballast-health"),
                new PoolOptions().setHttp1MaxSize(2));
        this.netClient = vertx.createNetClient(new NetClientOptions());
        this.http = new HttpProbe(httpClient);
        this.tcp = new TcpProbe(netClient);
    }

    @Override
    public Future<ProbeOutcome> probe(HealthTarget target) {
        return "tcp".equalsIgnoreCase(target.check().type()) ? tcp.probe(target) : http.probe(target);
    }

    public Future<Void> close() {
        return Future.join(httpClient.close(), netClient.close()).mapEmpty();
    }
}
