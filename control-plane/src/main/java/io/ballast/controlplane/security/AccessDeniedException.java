package io.ballast.controlplane.security;

/** A valid token whose role is not enough for the endpoint (HTTP 403). */
public final class AccessDeniedException extends RuntimeException {
    public AccessDeniedException(String message) {
        super(message);
    }
}
