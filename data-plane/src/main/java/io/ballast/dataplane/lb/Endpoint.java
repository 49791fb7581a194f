package io.ballast.dataplane.lb;

/**
 * What a balancer may know about a candidate backend. Implementations must be safe to read from any
 * thread; the values may change between two reads.
 */
public interface Endpoint {

    /** Configured share of traffic, 1–1000 for a candidate (weight 0 never reaches a balancer). */
    int weight();

    /** Requests this data plane has in flight to the backend now (for least-requests and the like). */
    int inFlight();

    /**
     * A stable, opaque identity of the backend that survives config swaps and is the same on every data
     * plane (see {@link Hashing#opaqueId}): the point set of a hash ring and the value of an affinity cookie.
     * It must not reveal the backend's address, because it is sent to clients.
     */
    String affinityId();
}
