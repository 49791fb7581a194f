package io.ballast.wire.v1;

/** Data plane → control plane: the snapshot at {@code revision} is applied and serving. */
public record Ack(long revision, String hash) implements WireMessage {
}
