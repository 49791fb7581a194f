package io.ballast.e2e;

import static io.ballast.e2e.E2e.created;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A fleet rate limit across two real data-plane processes and one control plane: the control plane gives each
 * data plane half the limit, load spread over both is held to the route's limit within 10 %, and when one data
 * plane leaves the other is given the whole limit.
 */
class RateLimitEndToEndTest {
    private static final int RATE = 40;
    private static final int BURST = 10;
    private static final Duration LOAD = Duration.ofSeconds(10);

    private final Closer closer = new Closer();

    @AfterEach
    void stopEverything() throws Exception {
        closer.close();
    }

    private static String share(DataPlane dp) {
        HttpResponse<String> metrics = dp.admin().tryGet("/metrics");
        if (metrics == null) {
            return null;
        }
        return metrics.body().lines().filter(l -> l.startsWith("ballast_rate_limit_share{route=\"limited\"} "))
                .map(l -> l.substring(l.indexOf(' ') + 1)).findFirst().orElse(null);
    }

    @Test
    void theFleetLimitHoldsWithinTenPercentUnderLoadSpreadOverTwoDataPlanes() throws Exception {
        ControlPlane cp = closer.later(ControlPlane.start("e2e-ratelimit-cp", ManagedProcess.tempDir("ballast-e2e-ratelimit-cp")));
        TestBackend backend = closer.later(TestBackend.start("A"));
        Http api = cp.admin();
        created(api.post("/pools", "{\"name\": \"web\", \"healthCheck\": {\"path\": \"/healthz\", \"interval\": \"500ms\"}}"));
        created(api.post("/pools/web/backends", "{\"name\": \"a\", \"host\": \"127.0.0.1\", \"port\": " + backend.port() + "}"));
        created(api.post("/routes", "{\"name\": \"limited\", \"pool\": \"web\", \"rateLimit\": {\"requestsPerSecond\": " + RATE
                + ", \"burst\": " + BURST + "}}"));
        DataPlane dp1 = closer.later(DataPlane.start("e2e-ratelimit-dp-1", cp.url(), ManagedProcess.tempDir("ballast-e2e-ratelimit-dp1")));
        DataPlane dp2 = closer.later(DataPlane.start("e2e-ratelimit-dp-2", cp.url(), ManagedProcess.tempDir("ballast-e2e-ratelimit-dp2")));
        await("each data plane enforces half the limit").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "0.5".equals(share(dp1)) && "0.5".equals(share(dp2)));
        await("backend healthy on both").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> E2e.status(dp1).toString().contains("\"healthy\"") && E2e.status(dp2).toString().contains("\"healthy\""));

        ExecutorService clients = Executors.newFixedThreadPool(8);
        AtomicLong admitted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong other = new AtomicLong();
        AtomicLong[] admittedBy = {new AtomicLong(), new AtomicLong()};
        long started = System.nanoTime();
        long deadline = started + LOAD.toNanos();
        try {
            List<Future<?>> load = new ArrayList<>();
            List<DataPlane> dps = List.of(dp1, dp2);
            for (int t = 0; t < 8; t++) {
                int which = t % 2;
                DataPlane dp = dps.get(which);
                load.add(clients.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        int status = dp.proxy().get("/load").statusCode();
                        if (status == 200) {
                            admitted.incrementAndGet();
                            admittedBy[which].incrementAndGet();
                        } else if (status == 429) {
                            refused.incrementAndGet();
                        } else {
                            other.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : load) {
                f.get(LOAD.toSeconds() + 30, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double allowed = RATE * seconds + BURST;
        System.out.printf("rate limit e2e: %.1f s, admitted %d (dp1 %d, dp2 %d), refused %d, other %d, allowed %.0f%n",
                seconds, admitted.get(), admittedBy[0].get(), admittedBy[1].get(), refused.get(), other.get(), allowed);
        assertThat(other.get()).as("answers other than 200 and 429").isZero();
        assertThat(refused.get()).as("the load went over the limit, so the limit was tested").isGreaterThan(admitted.get() / 2);
        assertThat((double) admitted.get()).as("admitted within 10 %% of %.0f", allowed).isBetween(allowed * 0.9, allowed * 1.1);
        assertThat(admittedBy[0].get()).as("each data plane admitted about half").isBetween(admitted.get() * 2 / 5, admitted.get() * 3 / 5);

        dp2.kill();
        await("the remaining data plane is given the whole limit").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "1.0".equals(share(dp1)));
    }
}
