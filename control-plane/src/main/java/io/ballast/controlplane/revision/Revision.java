package io.ballast.controlplane.revision;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** What is known about one revision besides its snapshot. {@code message} may be null. */
public record Revision(long number, Instant createdAt, String author, String message, String hash) {
    public Revision {
        requireNonNull(createdAt, "createdAt");
        requireNonNull(author, "author");
        requireNonNull(hash, "hash");
    }
}
