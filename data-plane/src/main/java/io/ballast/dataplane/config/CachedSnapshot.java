package io.ballast.dataplane.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ballast.model.snapshot.ConfigSnapshot;
import java.util.Map;

/**
 * The content of the cache file: the last snapshot this node applied. Immutable.
 *
 * @param format   file format version, so a later layout can be told apart
 * @param revision the control plane's revision
 * @param hash     SHA-256 of the config's canonical JSON
 * @param checksum SHA-256 over revision, hash and canonical JSON, checked on load
 * @param config   the snapshot
 * @param privateKeys the keys of its certificates, by name (PKCS#8 PEM); the file is mode 0600. They
 *                 are not in the checksum: a key that does not match its leaf refuses the snapshot anyway
 */
public record CachedSnapshot(int format, long revision, String hash, String checksum, ConfigSnapshot config,
                             @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> privateKeys) {
    public static final int FORMAT = 1;

    public CachedSnapshot {
        requireNonNull(hash, "hash");
        requireNonNull(config, "config");
        privateKeys = privateKeys == null ? Map.of() : Map.copyOf(privateKeys);
    }

    public CachedSnapshot(int format, long revision, String hash, String checksum, ConfigSnapshot config) {
        this(format, revision, hash, checksum, config, Map.of());
    }

    @Override
    public String toString() {
        return "CachedSnapshot[revision=" + revision + ", hash=" + hash + ", privateKeys=" + privateKeys.keySet() + "]";
    }

    static String checksumOf(long revision, String hash, String canonicalJson) {
        return ConfigSnapshot.sha256(revision + "\n" + hash + "\n" + canonicalJson);
    }
}
