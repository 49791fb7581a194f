package io.ballast.wire.v1;

/** A frame whose {@code type} this version does not know; peers log it and carry on. */
public record UnknownMessage(String type) implements WireMessage {
}
