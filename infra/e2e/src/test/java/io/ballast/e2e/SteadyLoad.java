package io.ballast.e2e;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two client threads sending GETs through a proxy one after another until stopped (or for at most
 * five minutes), counting successes and keeping every failure for the assertion message.
 */
final class SteadyLoad implements AutoCloseable {
    private static final Duration LIMIT = Duration.ofMinutes(5);

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger ok = new AtomicInteger();
    private final List<String> failures = new ArrayList<>();
    private volatile boolean stopped;

    static SteadyLoad start(Http proxy, String path) {
        SteadyLoad load = new SteadyLoad();
        long deadline = System.nanoTime() + LIMIT.toNanos();
        for (int i = 0; i < 2; i++) {
            Thread t = new Thread(() -> {
                while (!load.stopped && System.nanoTime() < deadline) {
                    load.once(proxy, path);
                }
            }, "steady-load-" + i);
            t.setDaemon(true);
            t.start();
            load.threads.add(t);
        }
        return load;
    }

    private void once(Http proxy, String path) {
        try {
            HttpResponse<String> response = proxy.get(path);
            if (response.statusCode() == 200) {
                ok.incrementAndGet();
            } else {
                fail(response.statusCode() + " " + response.body());
            }
        } catch (RuntimeException e) {
            fail(e.toString());
        }
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void fail(String what) {
        synchronized (failures) {
            failures.add(what);
        }
    }

    int succeeded() {
        return ok.get();
    }

    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread t : threads) {
            t.join(15_000);
        }
    }
}
