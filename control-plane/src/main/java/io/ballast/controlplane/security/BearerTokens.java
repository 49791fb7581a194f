package io.ballast.controlplane.security;

import java.util.Locale;
import java.util.Optional;

/** Parses {@code Authorization: Bearer <token>} (RFC 6750 §2.1; the scheme is case-insensitive). */
public final class BearerTokens {
    private static final String SCHEME = "bearer ";

    private BearerTokens() {
    }

    public static Optional<String> fromHeader(String authorization) {
        if (authorization == null || authorization.length() <= SCHEME.length()
                || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
            return Optional.empty();
        }
        String token = authorization.substring(SCHEME.length()).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
