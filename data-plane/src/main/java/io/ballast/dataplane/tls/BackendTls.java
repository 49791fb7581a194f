package io.ballast.dataplane.tls;

import io.ballast.model.PoolTls;
import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.net.ClientSSLOptions;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

/**
 * TLS toward one pool's backends: a client context (the pool's trust, optional client certificate, TLS 1.2 and
 * 1.3, BoringSSL when it loads) and the server name each backend is reached and verified by. Built once per
 * snapshot; a new snapshot builds a new one, so idle connections made under the old settings are not reused.
 * Thread-safe.
 */
public final class BackendTls {
    private final PoolTls settings;
    private final SslContext context;
    private final ClientSSLOptions probeOptions;

    BackendTls(PoolTls settings, SslContext context, ClientSSLOptions probeOptions) {
        this.settings = settings;
        this.context = context;
        this.probeOptions = probeOptions;
    }

    /** The same trust, verification and client certificate for the pool's HTTP health checks (a Vert.x client). */
    public ClientSSLOptions probeOptions() {
        return probeOptions;
    }

    /** The name a backend at {@code backendHost} is reached and verified by. */
    public String serverName(String backendHost) {
        return settings.serverName(backendHost);
    }

    /** A handler for a new connection to {@code backendHost:port}: SNI and verification use the pool's {@code sni} or that host. */
    public SslHandler newHandler(ByteBufAllocator alloc, String backendHost, int port) {
        return context.newHandler(alloc, settings.serverName(backendHost), port);
    }

    public PoolTls settings() {
        return settings;
    }

    /** The client context, e.g. for a health-check client of the same pool. */
    public SslContext context() {
        return context;
    }
}
