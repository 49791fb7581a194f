package io.ballast.controlplane.revision;

import static java.util.Objects.requireNonNull;

/**
 * Who makes a configuration change, why, and whether the safety rails may be overridden.
 *
 * @param author  the name of the token that made the request
 * @param message why, in the author's words (the {@code X-Ballast-Change-Message} header); null
 *                until {@link #describedAs} fills in a generated description
 * @param force   true when the caller asked to pass the safety rails ({@code ?force=true})
 */
public record Change(String author, String message, boolean force) {
    public Change {
        requireNonNull(author, "author");
    }

    /** A change the control plane makes by itself. */
    public static Change system(String message) {
        return new Change("system", message, false);
    }

    /** This change, with {@code fallback} as its message when the author gave none. */
    public Change describedAs(String fallback) {
        return message != null ? this : new Change(author, fallback, force);
    }
}
