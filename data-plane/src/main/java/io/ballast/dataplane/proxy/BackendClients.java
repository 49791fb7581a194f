package io.ballast.dataplane.proxy;

import io.ballast.model.Pool;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's pooled clients to the backends, one per distinct idle timeout ({@code pool.timeouts.idle}):
 * Vert.x sets the keep-alive timeout per client, not per request, so pools that share a value share a client
 * and its connections. Clients are made on first use and shut down once no pool of the active config uses
 * their value. Confined to its event loop; not thread-safe.
 */
final class BackendClients {
    /**
     * How long a retired client lets requests still in flight on it (routed with an older config) finish. The
     * longest request timeout a pool may have is a day; past a few minutes a swap should not wait on them.
     */
    private static final long RETIRE_GRACE_SECONDS = 300;

    private final Vertx vertx;
    private final Map<Integer, HttpClient> bySeconds = new HashMap<>();

    BackendClients(Vertx vertx) {
        this.vertx = vertx;
    }

    /** The client whose idle backend connections close after {@code pool}'s idle timeout. */
    HttpClient forPool(Pool pool) {
        return bySeconds.computeIfAbsent(keepAliveSeconds(pool.timeouts().idle()), this::create);
    }

    /** Shuts down (gracefully) the clients no pool in {@code pools} uses any more. */
    void keepOnly(Collection<Pool> pools) {
        Set<Integer> used = new HashSet<>();
        for (Pool p : pools) {
            used.add(keepAliveSeconds(p.timeouts().idle()));
        }
        List<Integer> unused = new ArrayList<>(bySeconds.keySet());
        unused.removeAll(used);
        for (Integer seconds : unused) {
            bySeconds.remove(seconds).shutdown(RETIRE_GRACE_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Client count, for tests. */
    int size() {
        return bySeconds.size();
    }

    /** Closes every client; idle connections close at once. */
    void closeAll() {
        bySeconds.values().forEach(HttpClient::close);
        bySeconds.clear();
    }

    /**
     * Vert.x counts the keep-alive timeout in whole seconds; a shorter idle timeout is rounded up, so a
     * connection is never closed before the operator's value.
     */
    static int keepAliveSeconds(Duration idle) {
        long seconds = (idle.toMillis() + 999) / 1000;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, seconds));
    }

    private HttpClient create(int keepAliveSeconds) {
        return vertx.createHttpClient(
                new HttpClientOptions()
                        .setKeepAlive(true)
                        .setKeepAliveTimeout(keepAliveSeconds)
                        .setPipelining(false)
                        .setTcpNoDelay(true)
                        .setName("ballast-proxy-idle-" + keepAliveSeconds + "s"),
                new PoolOptions().setHttp1MaxSize(512));
    }
}
