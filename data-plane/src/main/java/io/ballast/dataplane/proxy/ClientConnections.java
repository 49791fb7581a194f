package io.ballast.dataplane.proxy;

import io.ballast.dataplane.metrics.ProxyMetrics;
import io.ballast.dataplane.settings.ProxySettings;
import io.vertx.core.http.HttpConnection;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Enforces the total client connection limit over every listener and event loop, as connections are handed
 * to the proxy. (The head deadline and h2c refusal live in {@link ConnectionGuard}, in front of the codec.)
 * One instance is shared by every event loop; thread-safe.
 */
final class ClientConnections {
    private final ProxySettings settings;
    private final ProxyMetrics metrics;
    private final AtomicInteger open = new AtomicInteger();

    ClientConnections(ProxySettings settings, ProxyMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    /** Counts the connection and closes it when over the limit; does not touch the pipeline. */
    boolean admit(HttpConnection connection) {
        if (open.incrementAndGet() > settings.maxClientConnections()) {
            open.decrementAndGet();
            metrics.connectionRejected();
            connection.close();
            return false;
        }
        metrics.connectionOpened();
        connection.closeHandler(v -> {
            open.decrementAndGet();
            metrics.connectionClosed();
        });
        return true;
    }

    /** Client connections open now. */
    int open() {
        return open.get();
    }
}
