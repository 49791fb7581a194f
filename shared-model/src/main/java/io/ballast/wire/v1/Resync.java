package io.ballast.wire.v1;

/**
 * Data plane → control plane: a {@link SnapshotDelta} for {@code revision} could not be applied (no base of
 * that revision and hash here, or the result did not hash as announced); the control plane answers with
 * the full {@code snapshot}. Nothing changed on the data plane: its last good config keeps serving.
 *
 * @param reason why, for the log
 */
public record Resync(long revision, String reason) implements WireMessage {
}
