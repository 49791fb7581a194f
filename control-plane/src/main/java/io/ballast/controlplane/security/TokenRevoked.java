package io.ballast.controlplane.security;

import static java.util.Objects.requireNonNull;

/**
 * Fired (as a CDI event) when a token is deleted; observe it with {@code during = AFTER_SUCCESS}.
 * REST calls stop working at once anyway (every request re-reads the token's row); this lets the
 * push side close the sockets that were opened with it.
 */
public record TokenRevoked(String name, Role role) {
    public TokenRevoked {
        requireNonNull(name, "name");
        requireNonNull(role, "role");
    }
}
