package io.ballast.dataplane.lifecycle;

/**
 * Where a data plane is in leaving service. One volatile field: the proxy reads it once per request (to
 * answer {@code Connection: close}) and the admin server once per {@code /ready}; nothing locks. Moves only
 * forward: {@link Phase#SERVING} → {@link Phase#DRAINING} → {@link Phase#STOPPING}. Thread-safe.
 */
public final class DrainState {
    /** The phases of a drain, in order. */
    public enum Phase {
        /** In service: ready, keep-alive as usual. */
        SERVING,
        /** Not ready (a VIP or balancer in front moves traffic away), still accepting and serving. */
        DRAINING,
        /** No longer accepting; requests in flight finish within the grace. */
        STOPPING
    }

    private volatile Phase phase = Phase.SERVING;

    public Phase phase() {
        return phase;
    }

    /** False from the first moment of a drain: {@code /ready} answers 503. */
    public boolean inService() {
        return phase == Phase.SERVING;
    }

    /**
     * True once a drain began: each HTTP/1.x answer carries {@code Connection: close}, so clients open their next
     * connection wherever the VIP or the balancer points now instead of reusing one to this node.
     */
    public boolean closesConnections() {
        return phase != Phase.SERVING;
    }

    /** Starts a drain; false when one had already started (so only one caller runs the sequence). */
    synchronized boolean begin() {
        if (phase != Phase.SERVING) {
            return false;
        }
        phase = Phase.DRAINING;
        return true;
    }

    synchronized void stopping() {
        phase = Phase.STOPPING;
    }
}
