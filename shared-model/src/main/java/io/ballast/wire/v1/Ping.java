package io.ballast.wire.v1;

/** Control plane → data plane: liveness probe; {@code at} is the sender's epoch millis. */
public record Ping(long at) implements WireMessage {
}
