package io.ballast.controlplane.revision;

import static java.util.Objects.requireNonNull;

import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.snapshot.SnapshotIndex;
import java.util.Map;

/**
 * A committed revision's configuration, as data planes receive it. Fired as a CDI event after the
 * transaction that recorded it commits (observe it with {@code during = AFTER_SUCCESS}).
 *
 * @param privateKeys the keys of the config's certificates, by name (PKCS#8 PEM), opened for the push
 *                    only; never stored with the revision and never printed
 * @param index       the same config indexed item by item (for deltas and cheap hashing); null when the
 *                    publisher has none at hand
 */
public record PublishedSnapshot(long revision, String hash, ConfigSnapshot config, Map<String, String> privateKeys,
                                SnapshotIndex index) {
    public PublishedSnapshot {
        requireNonNull(hash, "hash");
        requireNonNull(config, "config");
        privateKeys = privateKeys == null ? Map.of() : Map.copyOf(privateKeys);
    }

    public PublishedSnapshot(long revision, String hash, ConfigSnapshot config, Map<String, String> privateKeys) {
        this(revision, hash, config, privateKeys, null);
    }

    public PublishedSnapshot(long revision, String hash, ConfigSnapshot config) {
        this(revision, hash, config, Map.of(), null);
    }

    @Override
    public String toString() {
        return "PublishedSnapshot[revision=" + revision + ", hash=" + hash + ", privateKeys=" + privateKeys.keySet() + "]";
    }
}
