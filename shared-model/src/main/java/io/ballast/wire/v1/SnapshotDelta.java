package io.ballast.wire.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ballast.model.snapshot.SnapshotChange;
import java.util.Map;
import java.util.Objects;

/**
 * Control plane → data plane, only to a data plane whose {@code hello} listed {@link Hello#DELTA}: the
 * config at {@code revision} given as the changes from the one at {@code baseRevision}. The data plane
 * applies {@code changes} to its config of {@code baseRevision} (which must hash {@code baseHash}) and
 * checks that the result hashes {@code hash}, the hash of the complete snapshot; when it holds no such
 * base, or the result hashes differently, it answers {@link Resync} and gets a full {@code snapshot}.
 * An empty {@code changes} with {@code baseRevision == revision} confirms that what it runs is current
 * (sent in reply to a hello instead of the whole config again).
 *
 * @param privateKeys the private keys of the certificates {@code changes} puts, by name (PKCS#8 PEM); a
 *                    put certificate missing here has none. Keys of certificates not put are kept from the
 *                    base. Never logged ({@link #toString()})
 */
public record SnapshotDelta(long revision, String hash, long baseRevision, String baseHash, SnapshotChange changes,
                            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> privateKeys) implements WireMessage {
    public SnapshotDelta {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(baseHash, "baseHash");
        changes = changes == null ? SnapshotChange.NONE : changes;
        privateKeys = privateKeys == null ? Map.of() : Map.copyOf(privateKeys);
    }

    @Override
    public String toString() {
        return "SnapshotDelta[revision=" + revision + ", hash=" + hash + ", baseRevision=" + baseRevision
                + ", changes=" + changes.size() + ", privateKeys=" + privateKeys.keySet() + "]";
    }
}
