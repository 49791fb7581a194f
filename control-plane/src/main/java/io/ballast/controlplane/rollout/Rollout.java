package io.ballast.controlplane.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /api/v1/rollouts/{id}} shows.
 *
 * @param state         {@code baking}, {@code promoted} or {@code aborted}
 * @param revision      the revision the cohort runs
 * @param baseRevision  the revision everyone else keeps while it bakes
 * @param endedBy       {@code gates} when the control plane decided, else the token that promoted or aborted
 * @param reason        why it was aborted (or superseded); null otherwise
 * @param abortRevision the revision that put the base configuration back after an abort
 * @param owner         the control-plane instance judging it (it renews a lease; another takes over when it dies)
 * @param waitingFor    {@code bakeTime}, {@code heartbeats} (bake over, evidence still missing) or
 *                      {@code promote} (autoPromote is false); null once ended
 * @param members       the data planes the cohort selects now, with what they run
 * @param readings      the newest gate readings; null before the first
 */
public record Rollout(long id, String state, long revision, long baseRevision, String cohort, String bakeTime,
                      RolloutPolicy.AbortOn abortOn, boolean autoPromote, String author, Instant startedAt,
                      Instant bakeEndsAt, Instant endedAt, String endedBy, String reason, Long abortRevision,
                      String owner, Instant leaseUntil, String waitingFor, List<Member> members, GateReadings readings) {

    /**
     * @param targetRevision what the node should run: the rollout's revision while it bakes
     */
    public record Member(String nodeId, Map<String, String> labels, boolean connected, Long appliedRevision,
                         long targetRevision, String syncState) {
    }
}
