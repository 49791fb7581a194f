package io.ballast.controlplane.config;

import static java.util.Objects.requireNonNull;

/** A resource and the version of its row: its ETag, and what {@code If-Match} is compared with. */
public record Versioned<T>(T value, long version) {
    public Versioned {
        requireNonNull(value, "value");
    }
}
