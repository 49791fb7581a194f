package io.ballast.dataplane.routing;

import static java.util.Objects.requireNonNull;

import io.ballast.model.snapshot.ConfigSnapshot;

/**
 * The config a data plane serves: a snapshot, its identity, and the routing table built from it.
 * Immutable and thread-safe.
 *
 * @param revision the control plane's revision number
 * @param hash     SHA-256 of the snapshot's canonical JSON
 * @param snapshot the config itself
 * @param table    routes and pools built from it
 * @param source   where it came from: {@code control-plane}, {@code cache} or {@code local}
 */
public record ActiveConfig(long revision, String hash, ConfigSnapshot snapshot, RoutingTable table, String source) {
    public ActiveConfig {
        requireNonNull(hash, "hash");
        requireNonNull(snapshot, "snapshot");
        requireNonNull(table, "table");
        requireNonNull(source, "source");
    }

    public ActiveConfig withRevision(long newRevision, String newSource) {
        return new ActiveConfig(newRevision, hash, snapshot, table, newSource);
    }
}
