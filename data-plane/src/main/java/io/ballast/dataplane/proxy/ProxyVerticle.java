package io.ballast.dataplane.proxy;

import io.ballast.dataplane.metrics.AccessLog;
import io.ballast.dataplane.metrics.ProxyMetrics;
import io.ballast.dataplane.routing.ConfigHolder;
import io.ballast.dataplane.settings.ListenAddress;
import io.ballast.dataplane.settings.ProxySettings;
import io.ballast.dataplane.tls.CertificateStore;
import io.ballast.dataplane.tls.TlsServerOptions;
import io.ballast.dataplane.tls.TlsSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's share of the proxy: a server on each listen address and its own pooled clients to the
 * backends, so a request and its backend connection stay on the same thread. Deployed once per event loop;
 * Vert.x spreads accepted connections over the instances listening on the same address.
 */
final class ProxyVerticle extends VerticleBase {
    /** Idle client connections (between requests) are closed after this. */
    private static final int CLIENT_IDLE_SECONDS = 60;

    private final List<ListenAddress> addresses;
    private final ConfigHolder holder;
    private final ProxyMetrics metrics;
    private final ProxySettings settings;
    private final AccessLog accessLog;
    private final ClientConnections connections;
    private final PendingRequests pending;
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<ListenAddress> tlsAddresses;
    private final TlsSettings tls;
    private final CertificateStore certificates;
    private final List<HttpServer> tlsServers = new ArrayList<>();
    private BackendClients clients;

    ProxyVerticle(List<ListenAddress> addresses, ConfigHolder holder, ProxyMetrics metrics, ProxySettings settings,
                  AccessLog accessLog, ClientConnections connections, PendingRequests pending) {
        this(addresses, holder, metrics, settings, accessLog, connections, pending, List.of(), TlsSettings.NONE, new CertificateStore());
    }

    /** @param tlsAddresses TLS listeners (as bound by the first instance, or as configured for it) */
    ProxyVerticle(List<ListenAddress> addresses, ConfigHolder holder, ProxyMetrics metrics, ProxySettings settings,
                  AccessLog accessLog, ClientConnections connections, PendingRequests pending,
                  List<ListenAddress> tlsAddresses, TlsSettings tls, CertificateStore certificates) {
        this.tlsAddresses = List.copyOf(tlsAddresses);
        this.tls = tls;
        this.certificates = certificates;
        this.addresses = List.copyOf(addresses);
        this.holder = holder;
        this.metrics = metrics;
        this.settings = settings;
        this.accessLog = accessLog;
        this.connections = connections;
        this.pending = pending;
    }

    @Override
    public Future<?> start() {
        clients = new BackendClients(vertx);
        ProxyHandler handler = new ProxyHandler(vertx, clients, holder, metrics, accessLog, settings, pending);
        List<Future<HttpServer>> listening = new ArrayList<>();
        List<ListenAddress> all = new ArrayList<>(addresses);
        all.addAll(tlsAddresses);
        for (int i = 0; i < all.size(); i++) {
            ListenAddress address = all.get(i);
            boolean secure = i >= addresses.size();
            HttpServerOptions options = new HttpServerOptions()
                    .setHost(address.host())
                    .setPort(address.port())
                    .setHandle100ContinueAutomatically(true)
                    .setIdleTimeout(CLIENT_IDLE_SECONDS)
                    // HTTP/2 with prior knowledge; RequestHeadChecks refuses the HTTP/1.1 Upgrade: h2c route.
                    .setHttp2ClearTextEnabled(true)
                    // Netty answers 414 past the request line limit and 431 past the header size limit.
                    .setMaxInitialLineLength(settings.maxRequestLine())
                    .setMaxHeaderSize(settings.maxHeaderSize())
                    .setTcpNoDelay(true);
            if (secure) {
                // The same handler and forwarding path; only the listener speaks TLS (ALPN h2 / http/1.1).
                TlsServerOptions.apply(options, certificates, tls);
            }
            HttpServer server = vertx.createHttpServer(options);
            (secure ? tlsServers : servers).add(server);
            listening.add(server.connectionHandler(connections::admit).requestHandler(handler).listen());
        }
        return Future.all(listening);
    }

    @Override
    public Future<?> stop() {
        List<Future<Void>> closing = new ArrayList<>();
        List<HttpServer> everyServer = new ArrayList<>(servers);
        everyServer.addAll(tlsServers);
        for (HttpServer server : everyServer) {
            closing.add(server.shutdown(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS));
        }
        return Future.join(closing).eventually(() -> {
            clients.closeAll();
            return Future.succeededFuture();
        });
    }

    /** The TLS addresses as bound, in the order given. */
    List<ListenAddress> boundTlsAddresses() {
        List<ListenAddress> bound = new ArrayList<>();
        for (int i = 0; i < tlsServers.size(); i++) {
            bound.add(tlsAddresses.get(i).withPort(tlsServers.get(i).actualPort()));
        }
        return bound;
    }

    /** The addresses as bound (port 0 replaced by the real port), in the order given. */
    List<ListenAddress> boundAddresses() {
        List<ListenAddress> bound = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            bound.add(addresses.get(i).withPort(servers.get(i).actualPort()));
        }
        return bound;
    }
}
