package io.ballast.wire.v1;

import io.ballast.model.snapshot.ConfigSnapshot;

/** Control plane → data plane: the complete config at a revision, with its hash. */
public record SnapshotPush(long revision, String hash, ConfigSnapshot config) implements WireMessage {
}
