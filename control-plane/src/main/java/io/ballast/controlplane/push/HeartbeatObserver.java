package io.ballast.controlplane.push;

import io.ballast.wire.v1.Heartbeat;
import java.util.Map;

/**
 * Told of every heartbeat this instance receives from an identified data plane, on the socket's
 * worker thread (blocking JDBC is fine). Canary rollouts sample the cohort's traffic through it, so
 * the push endpoint knows nothing of rollouts.
 */
public interface HeartbeatObserver {
    /**
     * @param labels the labels the node said hello with
     */
    void heartbeat(String nodeId, Map<String, String> labels, Heartbeat heartbeat);
}
