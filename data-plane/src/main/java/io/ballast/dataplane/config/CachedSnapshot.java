package io.ballast.dataplane.config;

import static java.util.Objects.requireNonNull;

import io.ballast.model.snapshot.ConfigSnapshot;

/**
 * The content of the cache file: the last snapshot this node applied. Immutable.
 *
 * @param format   file format version, so a later layout can be told apart
 * @param revision the control plane's revision
 * @param hash     SHA-256 of the config's canonical JSON
 * @param checksum SHA-256 over revision, hash and canonical JSON, checked on load
 * @param config   the snapshot
 */
public record CachedSnapshot(int format, long revision, String hash, String checksum, ConfigSnapshot config) {
    public static final int FORMAT = 1;

    public CachedSnapshot {
        requireNonNull(hash, "hash");
        requireNonNull(config, "config");
    }

    static String checksumOf(long revision, String hash, String canonicalJson) {
        return ConfigSnapshot.sha256(revision + "\n" + hash + "\n" + canonicalJson);
    }
}
