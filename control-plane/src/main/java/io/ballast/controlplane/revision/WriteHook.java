package io.ballast.controlplane.revision;

/**
 * Told of every recorded revision inside the writer's transaction, after the configuration lock was
 * taken and before the commit: it may refuse the write by throwing (everything rolls back) or record
 * more rows in the same transaction. Rollouts use it to start a canary and to refuse writes while one
 * bakes.
 */
public interface WriteHook {
    /**
     * @param change   who, why, and what rollout was asked for
     * @param revision the revision just recorded
     * @param previous the revision before it (0 when there was none)
     */
    void recorded(Change change, Revision revision, long previous);
}
