package io.ballast.wire.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ballast.model.snapshot.ConfigSnapshot;
import java.util.Map;

/**
 * Control plane → data plane: the complete config at a revision, with its hash.
 *
 * @param privateKeys the private keys of the config's certificates that have one, by certificate
 *                    name, as PKCS#8 PEM. They sit beside the config rather than in it, so the
 *                    config (and its hash, and every revision stored of it) never holds key
 *                    material; omitted when empty, so older peers read the frame unchanged.
 *                    Sent only over the data plane's socket; never logged ({@link #toString()}).
 */
public record SnapshotPush(long revision, String hash, ConfigSnapshot config,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> privateKeys) implements WireMessage {

    public SnapshotPush {
        privateKeys = privateKeys == null ? Map.of() : Map.copyOf(privateKeys);
    }

    public SnapshotPush(long revision, String hash, ConfigSnapshot config) {
        this(revision, hash, config, Map.of());
    }

    @Override
    public String toString() {
        return "SnapshotPush[revision=" + revision + ", hash=" + hash + ", privateKeys=" + privateKeys.keySet() + "]";
    }
}
