package io.ballast.controlplane.revision;

import static java.util.Objects.requireNonNull;

import io.ballast.model.snapshot.ConfigSnapshot;

/**
 * A committed revision's configuration, as data planes receive it. Fired as a CDI event after the
 * transaction that recorded it commits (observe it with {@code during = AFTER_SUCCESS}).
 */
public record PublishedSnapshot(long revision, String hash, ConfigSnapshot config) {
    public PublishedSnapshot {
        requireNonNull(hash, "hash");
        requireNonNull(config, "config");
    }
}
