package io.ballast.dataplane.ratelimit;

import io.ballast.model.RateLimit;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * One route's rate limit: finds the request's key (the client's address, or a header's value), takes a token
 * from that key's bucket, and builds the {@code 429} when there is none. With {@code scope: fleet} the rate and
 * the burst are this node's {@link FleetShare} of the route's (the burst never below one request, or a small
 * share could admit nothing at all).
 *
 * <p>A {@code header:<name>} key falls back to the client's address when the request has no such header, so
 * leaving the header out neither escapes the limit nor puts every such client in one shared bucket. Keys are
 * hashed with a seed drawn per limiter, so nobody can compute keys that crowd one another out of the table.
 *
 * <p>The {@code 429} carries {@code Retry-After} (seconds until a request of this key is admitted again) and
 * the fields of draft-ietf-httpapi-ratelimit-headers-09: {@code RateLimit-Policy: "<route>";q=<burst>;w=<seconds
 * to refill the burst>} and {@code RateLimit: "<route>";r=0;t=<seconds until admitted again>}. Admitted answers
 * carry no rate-limit fields: the check then costs nothing but the bucket. Thread-safe.
 */
public final class RouteRateLimiter {
    /** The most keys one route tracks at once (a power of two): 16 384 buckets, about 0.6 MiB at most. */
    public static final int MAX_KEYS = 16_384;
    private static final AsciiString RATELIMIT_POLICY = AsciiString.cached("ratelimit-policy");
    private static final AsciiString RATELIMIT = AsciiString.cached("ratelimit");
    private static final double NANOS = 1_000_000_000d;
    /** Keeps a header value from ever hashing like an address that spells the same. */
    private static final long ADDRESS_DOMAIN = 0x9E3779B97F4A7C15L;

    private final String route;
    private final RateLimit config;
    private final FleetShare share;
    private final AsciiString header;
    private final TokenBuckets buckets;
    private final LongSupplier nanoClock;
    private final long origin;
    private final long seed;
    private final LongAdder limited;

    /**
     * @param share     this node's share of fleet limits (ignored for {@code scope: node})
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime})
     * @param limited   counts the requests this route refused (kept across limiters of the same route)
     */
    RouteRateLimiter(String route, RateLimit config, FleetShare share, LongSupplier nanoClock, int maxKeys, LongAdder limited) {
        this.route = route;
        this.config = config;
        this.share = config.scope() == RateLimit.Scope.FLEET ? share : null;
        this.header = config.headerName() == null ? null : AsciiString.cached(config.headerName());
        this.buckets = new TokenBuckets(maxKeys);
        this.nanoClock = nanoClock;
        // Bucket times are kept positive and far from overflow whatever nanoTime's origin is.
        this.origin = nanoClock.getAsLong() - 1;
        this.seed = ThreadLocalRandom.current().nextLong();
        this.limited = limited;
    }

    public RateLimit config() {
        return config;
    }

    /**
     * Takes a token for the request.
     *
     * @param headers the request head's headers (for a {@code header:} key)
     * @param client  the client's address as text (null when unknown)
     * @return 0 when the request may go on, else the nanoseconds until this key is admitted again
     */
    public long check(HttpHeaders headers, String client) {
        String value = header == null ? null : headers.get(header);
        long fingerprint = value != null ? hash(value, seed) : hash(client == null ? "" : client, seed ^ ADDRESS_DOMAIN);
        double fraction = share == null ? 1.0 : share.fraction();
        double rate = config.requestsPerSecond() * fraction;
        double burst = Math.max(1.0, config.burst() * fraction);
        long interval = Math.max(1, (long) (NANOS / rate));
        long tolerance = (long) (burst * NANOS / rate);
        long wait = buckets.take(fingerprint, nanoClock.getAsLong() - origin, interval, tolerance);
        if (wait > 0) {
            limited.increment();
        }
        return wait;
    }

    /** The {@code 429} for a request {@link #check} refused with {@code waitNanos}. */
    public FullHttpResponse tooManyRequests(HttpVersion version, long waitNanos) {
        long retryAfter = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        double fraction = share == null ? 1.0 : share.fraction();
        double rate = config.requestsPerSecond() * fraction;
        long quota = Math.max(1, (long) Math.floor(config.burst() * fraction));
        long window = Math.max(1, (long) Math.ceil(quota / rate));
        byte[] body = new JsonObject()
                .put("type", "https://ballast.io/problems/rate-limited")
                .put("title", "Too many requests")
                .put("status", 429)
                .put("detail", "Route '" + route + "' admits " + format(rate) + " requests per second per client here; retry in "
                        + retryAfter + " s.")
                .encode().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(version, HttpResponseStatus.TOO_MANY_REQUESTS, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set(HttpHeaderNames.RETRY_AFTER, Long.toString(retryAfter))
                .set(RATELIMIT_POLICY, "\"" + route + "\";q=" + quota + ";w=" + window)
                .set(RATELIMIT, "\"" + route + "\";r=0;t=" + retryAfter)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return r;
    }

    /** Requests this route refused since its limit was first configured on this node. */
    public long limited() {
        return limited.sum();
    }

    /** The fraction of the route's limit enforced here: this node's fleet share, or 1 for {@code scope: node}. */
    public double enforcedShare() {
        return share == null ? 1.0 : share.fraction();
    }

    public String route() {
        return route;
    }

    /** Keys tracked now (at most {@link #MAX_KEYS}). */
    public int keys() {
        return buckets.size();
    }

    private static String format(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : String.format(java.util.Locale.ROOT, "%.2f", rate);
    }

    /** FNV-1a over the characters from a secret seed, then MurmurHash3's finaliser to spread the bits. */
    static long hash(CharSequence text, long seed) {
        long h = seed ^ 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            h = (h ^ text.charAt(i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
