package io.ballast.dataplane.lb;

import java.util.List;

/**
 * Cookie affinity in front of another balancer: a request whose cookie names a candidate goes there; if the
 * named backend is no longer a candidate (unhealthy, draining, disabled, weight 0, removed, or already tried
 * by this request) the request falls back to the delegate, and the proxy then sets a new cookie.
 * Thread-safe when the delegate is.
 */
final class StickyAffinity implements LoadBalancer {
    private final LoadBalancer fallback;

    StickyAffinity(LoadBalancer fallback) {
        this.fallback = fallback;
    }

    @Override
    public <E extends Endpoint> E select(List<E> candidates, RequestKey key) {
        String wanted = key.affinity();
        if (wanted != null) {
            for (E e : candidates) {
                if (wanted.equals(e.affinityId())) {
                    return e;
                }
            }
        }
        return fallback.select(candidates, key);
    }
}
