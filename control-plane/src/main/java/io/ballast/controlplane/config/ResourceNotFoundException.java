package io.ballast.controlplane.config;

/** The named pool, backend, route or revision does not exist. */
public final class ResourceNotFoundException extends RuntimeException {
    public ResourceNotFoundException(String message) {
        super(message);
    }
}
