package io.ballast.controlplane.config;

/** {@code If-Match} named a version that is no longer current: someone changed the resource meanwhile (HTTP 412). */
public final class PreconditionFailedException extends RuntimeException {
    public PreconditionFailedException(String message) {
        super(message);
    }
}
