package io.ballast.dataplane.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.model.RateLimit;
import io.ballast.model.Route;
import io.ballast.wire.v1.RateLimitShare;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RouteRateLimiterTest {
    private static final long MS = 1_000_000L;
    private final AtomicLong clock = new AtomicLong(5_000 * MS);
    private final FleetShare share = new FleetShare();
    private final RateLimits limits = new RateLimits(share, clock::get, RouteRateLimiter.MAX_KEYS);

    private RouteRateLimiter limiter(int rps, Integer burst, String key, RateLimit.Scope scope) {
        return limits.forRoute(Route.of("api", "web").withRateLimit(new RateLimit(rps, burst, key, scope)));
    }

    private static int admitted(RouteRateLimiter limiter, HttpHeaders headers, String client, int tries) {
        int ok = 0;
        for (int i = 0; i < tries; i++) {
            if (limiter.check(headers, client) == 0) {
                ok++;
            }
        }
        return ok;
    }

    @Test
    void aFullBucketAdmitsTheBurstThenOneRequestPerInterval() {
        RouteRateLimiter limiter = limiter(10, 5, null, RateLimit.Scope.NODE);
        assertThat(admitted(limiter, EmptyHttpHeaders.INSTANCE, "10.0.0.1", 20)).isEqualTo(5);
        long wait = limiter.check(EmptyHttpHeaders.INSTANCE, "10.0.0.1");
        assertThat(wait).isEqualTo(100 * MS);
        clock.addAndGet(99 * MS);
        assertThat(limiter.check(EmptyHttpHeaders.INSTANCE, "10.0.0.1")).isEqualTo(MS);
        clock.addAndGet(MS);
        assertThat(limiter.check(EmptyHttpHeaders.INSTANCE, "10.0.0.1")).isZero();
        clock.addAndGet(10_000 * MS);
        assertThat(admitted(limiter, EmptyHttpHeaders.INSTANCE, "10.0.0.1", 20)).as("refilled to the burst, never beyond").isEqualTo(5);
        assertThat(limiter.limited()).isEqualTo(15 + 1 + 1 + 15);
    }

    @Test
    void eachClientAddressHasItsOwnBucket() {
        RouteRateLimiter limiter = limiter(1, null, null, RateLimit.Scope.NODE);
        assertThat(admitted(limiter, EmptyHttpHeaders.INSTANCE, "10.0.0.1", 3)).isEqualTo(1);
        assertThat(admitted(limiter, EmptyHttpHeaders.INSTANCE, "10.0.0.2", 3)).isEqualTo(1);
        assertThat(admitted(limiter, EmptyHttpHeaders.INSTANCE, "2001:db8::1", 3)).isEqualTo(1);
    }

    @Test
    void aHeaderKeyLimitsPerValueAndFallsBackToTheAddressWithoutTheHeader() {
        RouteRateLimiter limiter = limiter(1, 2, "header:X-Api-Key", RateLimit.Scope.NODE);
        HttpHeaders alice = new DefaultHttpHeaders().set("x-api-key", "alice");
        HttpHeaders bob = new DefaultHttpHeaders().set("X-API-KEY", "bob");
        assertThat(admitted(limiter, alice, "10.0.0.1", 5)).isEqualTo(2);
        assertThat(admitted(limiter, bob, "10.0.0.1", 5)).as("same address, other key").isEqualTo(2);
        assertThat(admitted(limiter, alice, "10.0.0.9", 5)).as("the key, not the address, decides").isZero();
        assertThat(admitted(limiter, EmptyHttpHeaders.INSTANCE, "10.0.0.1", 5)).as("no header: the address's own bucket").isEqualTo(2);
        assertThat(admitted(limiter, EmptyHttpHeaders.INSTANCE, "10.0.0.2", 5)).isEqualTo(2);
        HttpHeaders spoof = new DefaultHttpHeaders().set("x-api-key", "10.0.0.3");
        assertThat(admitted(limiter, spoof, "10.0.0.1", 5)).isEqualTo(2);
        assertThat(admitted(limiter, EmptyHttpHeaders.INSTANCE, "10.0.0.3", 5))
                .as("a header value spelling an address is not that address's bucket").isEqualTo(2);
    }

    @Test
    void aFleetLimitEnforcesThisNodesShareAndANodeLimitTheWhole() {
        RouteRateLimiter fleet = limiter(10, 10, null, RateLimit.Scope.FLEET);
        assertThat(admitted(fleet, EmptyHttpHeaders.INSTANCE, "10.0.0.1", 30)).as("before any share: the whole limit").isEqualTo(10);
        share.set(RateLimitShare.among(2));
        assertThat(admitted(fleet, EmptyHttpHeaders.INSTANCE, "10.0.0.2", 30)).as("half the burst").isEqualTo(5);
        assertThat(fleet.check(EmptyHttpHeaders.INSTANCE, "10.0.0.2")).as("half the rate: 200 ms a token").isEqualTo(200 * MS);
        assertThat(fleet.enforcedShare()).isEqualTo(0.5);
        RouteRateLimiter node = limits.forRoute(Route.of("other", "web").withRateLimit(new RateLimit(10, 10, null, RateLimit.Scope.NODE)));
        assertThat(admitted(node, EmptyHttpHeaders.INSTANCE, "10.0.0.2", 30)).isEqualTo(10);
        assertThat(node.enforcedShare()).isEqualTo(1.0);
    }

    @Test
    void aTinyShareStillAdmitsOneRequestAtItsRate() {
        RouteRateLimiter fleet = limiter(1, 1, null, RateLimit.Scope.FLEET);
        share.set(RateLimitShare.among(10));
        assertThat(fleet.check(EmptyHttpHeaders.INSTANCE, "10.0.0.1")).isZero();
        assertThat(fleet.check(EmptyHttpHeaders.INSTANCE, "10.0.0.1")).isEqualTo(10_000 * MS);
    }

    @Test
    void anUnchangedLimitKeepsItsBucketsAcrossSnapshotsAndAChangedOneStartsAfresh() {
        RouteRateLimiter first = limiter(1, 1, null, RateLimit.Scope.NODE);
        assertThat(first.check(EmptyHttpHeaders.INSTANCE, "10.0.0.1")).isZero();
        RouteRateLimiter same = limiter(1, 1, null, RateLimit.Scope.NODE);
        assertThat(same).isSameAs(first);
        assertThat(same.check(EmptyHttpHeaders.INSTANCE, "10.0.0.1")).isPositive();
        RouteRateLimiter changed = limiter(2, 1, null, RateLimit.Scope.NODE);
        assertThat(changed).isNotSameAs(first);
        assertThat(changed.check(EmptyHttpHeaders.INSTANCE, "10.0.0.1")).isZero();
        assertThat(changed.limited()).as("the route's counter carries over").isEqualTo(1);
    }

    @Test
    void theAnswerCarriesRetryAfterAndTheDraftFields() {
        RouteRateLimiter limiter = limiter(2, 6, null, RateLimit.Scope.NODE);
        FullHttpResponse r = limiter.tooManyRequests(HttpVersion.HTTP_1_1, 500 * MS);
        assertThat(r.status().code()).isEqualTo(429);
        assertThat(r.headers().get("Retry-After")).isEqualTo("1");
        assertThat(r.headers().get("RateLimit-Policy")).isEqualTo("\"api\";q=6;w=3");
        assertThat(r.headers().get("RateLimit")).isEqualTo("\"api\";r=0;t=1");
        assertThat(r.headers().get("Content-Type")).isEqualTo("application/problem+json");
        assertThat(r.content().toString(java.nio.charset.StandardCharsets.UTF_8)).contains("\"status\":429").contains("rate-limited");
        assertThat(limiter.tooManyRequests(HttpVersion.HTTP_1_1, 2_500 * MS).headers().get("Retry-After")).isEqualTo("3");
        r.release();
    }

    @Test
    void aFloodOfDistinctKeysStaysWithinTheCapAndDoesNotFreeAnExhaustedKey() {
        RouteRateLimiter limiter = limiter(1, 5, "header:X-Key", RateLimit.Scope.NODE);
        HttpHeaders abuser = new DefaultHttpHeaders().set("x-key", "abuser");
        assertThat(admitted(limiter, abuser, "10.0.0.1", 50)).isEqualTo(5);
        long heapBefore = usedHeap();
        DefaultHttpHeaders flood = new DefaultHttpHeaders();
        for (int i = 0; i < 1_000_000; i++) {
            flood.set("x-key", "k" + i);
            limiter.check(flood, "10.0.0.1");
        }
        assertThat(limiter.keys()).isLessThanOrEqualTo(RouteRateLimiter.MAX_KEYS);
        assertThat(limiter.keys()).isGreaterThan(RouteRateLimiter.MAX_KEYS / 2);
        // A million keys held would be ~50 MB; the table holds at most 16 384 buckets of ~40 bytes.
        assertThat(usedHeap() - heapBefore).isLessThan(16L * 1024 * 1024);
        assertThat(limiter.check(abuser, "10.0.0.1"))
                .as("the flood's buckets are fuller than the abuser's, so they are the ones replaced").isPositive();
    }

    @Test
    void aCheckOfAKnownKeyAllocatesNothing() {
        RouteRateLimiter limiter = limiter(1_000_000, 1_000_000, "header:X-Key", RateLimit.Scope.FLEET);
        HttpHeaders keyed = new DefaultHttpHeaders().set("x-key", "alice");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int i = 0; i < 200_000; i++) {
            limiter.check(keyed, "10.0.0.1");
            limiter.check(EmptyHttpHeaders.INSTANCE, "10.0.0.1");
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 100_000; i++) {
            limiter.check(keyed, "10.0.0.1");
            limiter.check(EmptyHttpHeaders.INSTANCE, "10.0.0.1");
        }
        long perCheck = (threads.getThreadAllocatedBytes(id) - before) / 200_000;
        System.out.println("rate-limit check: " + perCheck + " bytes allocated per check");
        assertThat(perCheck).isZero();
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
