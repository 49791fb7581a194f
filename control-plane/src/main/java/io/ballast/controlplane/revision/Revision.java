package io.ballast.controlplane.revision;

import static java.util.Objects.requireNonNull;

import io.ballast.model.snapshot.SnapshotDiff;
import java.time.Instant;

/**
 * What is known about one revision besides its snapshot. {@code message} may be null.
 *
 * @param summary how many resources (pools, backends, routes) it created, updated and deleted
 *                compared with the revision before it
 */
public record Revision(long number, Instant createdAt, String author, String message, String hash,
                       SnapshotDiff.Summary summary) {
    public Revision {
        requireNonNull(createdAt, "createdAt");
        requireNonNull(author, "author");
        requireNonNull(hash, "hash");
        requireNonNull(summary, "summary");
    }
}
