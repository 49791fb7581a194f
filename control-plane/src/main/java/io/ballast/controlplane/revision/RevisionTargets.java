package io.ballast.controlplane.revision;

import java.util.Map;

/**
 * Which revision each data plane should run. Without a rollout that is the newest revision for
 * everyone; while a canary bakes, the cohort runs the new revision and every other node keeps the
 * previous one. The push path and the fleet's sync state ask this, and know nothing of rollouts.
 */
public interface RevisionTargets {
    /** The split in force now, read once (blocking JDBC); ask it per node. */
    Plan plan();

    /** A moment's answer; immutable, thread-safe. */
    @FunctionalInterface
    interface Plan {
        /** Everyone runs the newest revision. */
        Plan NEWEST = (nodeId, labels, latest) -> latest;

        /**
         * @param labels the labels the node said hello with
         * @param latest the newest revision
         * @return the revision the node should run
         */
        long revisionFor(String nodeId, Map<String, String> labels, long latest);
    }
}
