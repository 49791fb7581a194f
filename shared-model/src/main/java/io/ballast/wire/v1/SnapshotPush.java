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
 * @param sessionTicketSecret base64 of the secret from which every data plane derives the same TLS session-ticket
 *                    keys (so a session resumes on any of them); like the keys, beside the config and never
 *                    logged; omitted when null (a peer that does not send it)
 */
public record SnapshotPush(long revision, String hash, ConfigSnapshot config,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> privateKeys,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String sessionTicketSecret) implements WireMessage {

    public SnapshotPush {
        privateKeys = privateKeys == null ? Map.of() : Map.copyOf(privateKeys);
    }

    public SnapshotPush(long revision, String hash, ConfigSnapshot config, Map<String, String> privateKeys) {
        this(revision, hash, config, privateKeys, null);
    }

    public SnapshotPush(long revision, String hash, ConfigSnapshot config) {
        this(revision, hash, config, Map.of());
    }

    @Override
    public String toString() {
        return "SnapshotPush[revision=" + revision + ", hash=" + hash + ", privateKeys=" + privateKeys.keySet()
                + (sessionTicketSecret == null ? "" : ", sessionTicketSecret=<hidden>") + "]";
    }
}
