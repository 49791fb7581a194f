package io.ballast.controlplane.security;

import java.util.Locale;

/**
 * What a token may do. The REST roles are ordered (viewer &lt; operator &lt; admin); {@code dataplane}
 * stands apart and can do nothing but connect the config WebSocket.
 */
public enum Role {
    VIEWER(1),
    OPERATOR(2),
    ADMIN(3),
    DATAPLANE(0);

    private final int restRank;

    Role(int restRank) {
        this.restRank = restRank;
    }

    /** True when a caller with this role may call a REST endpoint that needs {@code required}. */
    public boolean allowsRest(Role required) {
        return restRank > 0 && restRank >= required.restRank;
    }

    /** The stored and displayed name, e.g. {@code admin}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
