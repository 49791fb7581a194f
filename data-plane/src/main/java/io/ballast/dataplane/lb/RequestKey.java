package io.ballast.dataplane.lb;

/**
 * What a request tells the balancer about where it would like to go. Immutable.
 *
 * @param hash     the consistent-hash key (source IP, a header or a cookie value), or null when the request
 *                 has none; a hashing balancer then picks at random
 * @param affinity the {@link Endpoint#affinityId()} the client's affinity cookie names, or null
 */
public record RequestKey(String hash, String affinity) {
    /** A request with neither a hash key nor an affinity cookie. */
    public static final RequestKey NONE = new RequestKey(null, null);

    public static RequestKey of(String hash, String affinity) {
        return hash == null && affinity == null ? NONE : new RequestKey(hash, affinity);
    }
}
