package io.ballast.wire.v1;

import java.util.List;

/**
 * Data plane → control plane: the snapshot at {@code revision} is applied and serving.
 *
 * @param warnings what went wrong beside the apply, e.g. the snapshot could not be written to the cache
 *                 directory (so a restart without a control plane would serve an older config); null or
 *                 absent when nothing did (data planes before this field never send it)
 */
public record Ack(long revision, String hash, List<String> warnings) implements WireMessage {
    public Ack {
        warnings = warnings == null || warnings.isEmpty() ? null : List.copyOf(warnings);
    }

    public Ack(long revision, String hash) {
        this(revision, hash, null);
    }
}
