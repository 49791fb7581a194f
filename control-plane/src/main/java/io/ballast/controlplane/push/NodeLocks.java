package io.ballast.controlplane.push;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Serialises what this instance records about one node's connection. A reconnecting data plane's new
 * socket says hello on one worker thread while its old socket's close runs on another; without this,
 * the close can find no other socket (the hello not yet in), lose the race to the hello's write, and
 * mark a connected node disconnected until its next reconnect. Striped: a lock per hash bucket, so
 * different nodes rarely wait for each other. Held only around short registry writes on worker threads.
 */
@ApplicationScoped
class NodeLocks {
    private static final int STRIPES = 64;
    private final Object[] stripes = new Object[STRIPES];

    NodeLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    void run(String nodeId, Runnable action) {
        synchronized (stripes[Math.floorMod(nodeId.hashCode(), STRIPES)]) {
            action.run();
        }
    }
}
