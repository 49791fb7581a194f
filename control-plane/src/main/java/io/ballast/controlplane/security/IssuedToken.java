package io.ballast.controlplane.security;

import java.time.Instant;

/** The answer to creating a token: the only time its secret is ever shown. */
public record IssuedToken(String name, String role, Instant createdAt, String createdBy, String secret) {
}
