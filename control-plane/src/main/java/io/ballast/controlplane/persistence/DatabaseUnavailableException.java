package io.ballast.controlplane.persistence;

/**
 * The database stayed unreachable (or without a writable primary) for the whole retry budget. The
 * REST layer answers it with a 503 problem; nothing of the failed work was committed, unless the
 * message says the outcome is unknown.
 */
public class DatabaseUnavailableException extends RuntimeException {
    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
