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
}
