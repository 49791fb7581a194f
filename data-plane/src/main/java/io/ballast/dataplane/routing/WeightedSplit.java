package io.ballast.dataplane.routing;

import io.ballast.dataplane.lb.Hashing;
import io.ballast.dataplane.lb.RandomSource;
import io.ballast.dataplane.upstream.Member;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.ballast.model.Pool;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.util.List;
import java.util.Locale;

/**
 * A route's {@code pools: [{pool, weight}]}: picks the pool of each request in proportion to the weights,
 * keeping a client on its pool as the pools' affinity settings keep it on its backend: a request whose
 * affinity cookie ({@code stickyCookie}) names a backend of one of the pools goes to that pool; with
 * {@code hashOn} its key (source IP, header or cookie) picks the pool by hash, the same on every data plane;
 * otherwise the pool is drawn at random. A pool of weight 0 takes nobody, its sticky clients included. Built with the routing table. Thread-safe when its random source is.
 */
public final class WeightedSplit {
    private final UpstreamPool[] pools;
    /** Upper bounds of each pool's share in {@code [0, total)}: pool i takes draws below {@code bounds[i]}. */
    private final int[] bounds;
    private final boolean[] weighted;
    private final int total;
    private final RandomSource random;
    private final String hashOn;

    WeightedSplit(List<UpstreamPool> pools, List<Integer> weights, RandomSource random) {
        this.pools = pools.toArray(UpstreamPool[]::new);
        this.bounds = new int[weights.size()];
        this.weighted = new boolean[weights.size()];
        int sum = 0;
        for (int i = 0; i < bounds.length; i++) {
            weighted[i] = weights.get(i) > 0;
            sum += weights.get(i);
            bounds[i] = sum;
        }
        this.total = sum;
        this.random = random;
        String key = null;
        for (UpstreamPool p : this.pools) {
            if (p.config().hashOn() != null) {
                key = p.config().hashOn();
                break;
            }
        }
        this.hashOn = key;
    }

    /** The pool for a request. */
    public UpstreamPool pick(HttpHeaders headers, String clientIp) {
        UpstreamPool sticky = stickyPool(headers);
        if (sticky != null) {
            return sticky;
        }
        if (hashOn != null) {
            String key = hashKey(headers, clientIp);
            if (key != null) {
                return at((int) Long.remainderUnsigned(Hashing.hash64(key), total));
            }
        }
        return at(random.nextInt(total));
    }

    /** The pool whose share covers {@code draw} in {@code [0, total)}. */
    UpstreamPool at(int draw) {
        for (int i = 0; i < bounds.length; i++) {
            if (draw < bounds[i]) {
                return pools[i];
            }
        }
        return pools[pools.length - 1];
    }

    /** The pool one of whose members the client's affinity cookie names, or null. */
    private UpstreamPool stickyPool(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.COOKIE)) {
            return null;
        }
        for (int i = 0; i < pools.length; i++) {
            UpstreamPool p = pools[i];
            String name = p.config().stickyCookie();
            if (!weighted[i]) {
                // Weight 0 drains a pool of the split: its clients move on, as new ones never come.
                continue;
            }
            if (name == null || name.isBlank()) {
                continue;
            }
            String id = cookie(headers, name);
            if (id != null) {
                for (Member m : p.members()) {
                    if (id.equals(m.affinityId())) {
                        return p;
                    }
                }
            }
        }
        return null;
    }

    private String hashKey(HttpHeaders headers, String clientIp) {
        String lower = hashOn.trim().toLowerCase(Locale.ROOT);
        if (lower.equals("source-ip")) {
            return clientIp;
        }
        if (lower.startsWith("header:")) {
            return headers.get(hashOn.trim().substring("header:".length()).trim());
        }
        if (lower.startsWith("cookie:")) {
            return cookie(headers, hashOn.trim().substring("cookie:".length()).trim());
        }
        return null;
    }

    private static String cookie(HttpHeaders headers, String name) {
        for (String header : headers.getAll(HttpHeaderNames.COOKIE)) {
            for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
                if (c.name().equals(name)) {
                    return c.value();
                }
            }
        }
        return null;
    }

    /** For the pool-level view (status pages, tests): the pools of the split in order. */
    public List<Pool> configs() {
        return java.util.Arrays.stream(pools).map(UpstreamPool::config).toList();
    }
}
