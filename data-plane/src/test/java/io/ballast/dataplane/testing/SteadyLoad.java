package io.ballast.dataplane.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open-loop GET load at a fixed rate for a fixed count (bounded in time and number), with keep-alive
 * connections, counting answers by status and requests that failed outright. Thread-safe.
 */
public final class SteadyLoad implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client;
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final CountDownLatch done;
    private final int total;

    /**
     * @param perSecond requests started per second
     * @param total     requests in all
     */
    public SteadyLoad(int port, String path, int perSecond, int total) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultPort(port).setDefaultHost("127.0.0.1")
                .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(32));
        this.total = total;
        this.done = new CountDownLatch(total);
        AtomicInteger started = new AtomicInteger();
        long period = Math.max(1, 1000 / perSecond);
        vertx.setPeriodic(period, id -> {
            if (started.incrementAndGet() > total) {
                vertx.cancelTimer(id);
                return;
            }
            client.request(HttpMethod.GET, path)
                    .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode())))
                    .onComplete(ar -> {
                        if (ar.succeeded()) {
                            statuses.computeIfAbsent(ar.result(), s -> new AtomicInteger()).incrementAndGet();
                        } else {
                            failures.incrementAndGet();
                        }
                        done.countDown();
                    });
        });
    }

    /** Waits until every request has an outcome. */
    public void await(long seconds) throws InterruptedException {
        if (!done.await(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("load did not finish: " + done.getCount() + " of " + total + " requests open");
        }
    }

    public int count(int status) {
        AtomicInteger n = statuses.get(status);
        return n == null ? 0 : n.get();
    }

    /** Requests that failed or got anything but a 200. */
    public int failed() {
        int ok = count(200);
        return total - ok;
    }

    public int errors() {
        return failures.get();
    }

    public Map<Integer, AtomicInteger> statuses() {
        return statuses;
    }

    @Override
    public void close() {
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the load client did not close in 10 s", e);
        }
    }
}
