package io.ballast.controlplane.security;

/** No bearer token, or one that matches no stored token (HTTP 401). The message never contains the token. */
public final class AuthenticationRequiredException extends RuntimeException {
    public AuthenticationRequiredException(String message) {
        super(message);
    }
}
