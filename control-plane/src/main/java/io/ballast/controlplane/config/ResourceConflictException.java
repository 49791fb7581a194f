package io.ballast.controlplane.config;

/** The change clashes with what exists: a duplicate name or address, or a pool still used by routes. */
public final class ResourceConflictException extends RuntimeException {
    public ResourceConflictException(String message) {
        super(message);
    }
}
