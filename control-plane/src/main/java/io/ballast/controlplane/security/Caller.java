package io.ballast.controlplane.security;

import static java.util.Objects.requireNonNull;

import java.security.Principal;

/** An authenticated token: its name (the author of revisions) and role. */
public record Caller(long tokenId, String name, Role role) implements Principal {
    public Caller {
        requireNonNull(name, "name");
        requireNonNull(role, "role");
    }

    @Override
    public String getName() {
        return name;
    }
}
