package io.ballast.controlplane.revision;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Who makes a configuration change, why, and whether the safety rails may be overridden.
 *
 * @param author  the name of the token that made the request
 * @param message why, in the author's words (the {@code X-Ballast-Change-Message} header); null
 *                until {@link #describedAs} fills in a generated description
 * @param force   true when the caller asked to pass the safety rails ({@code ?force=true})
 * @param canary  non-null when the write asked for {@code ?rollout=canary}: the new revision goes to a
 *                cohort first
 */
public record Change(String author, String message, boolean force, Canary canary) {
    public Change {
        requireNonNull(author, "author");
    }

    public Change(String author, String message, boolean force) {
        this(author, message, force, null);
    }

    /** A change the control plane makes by itself. */
    public static Change system(String message) {
        return new Change("system", message, false);
    }

    /** This change, with {@code fallback} as its message when the author gave none. */
    public Change describedAs(String fallback) {
        return message != null ? this : new Change(author, fallback, force, canary);
    }

    /**
     * What {@code ?rollout=canary} asked for; null fields take the rollout policy's defaults.
     *
     * @param cohort   a label selector {@code k=v[,k=v]} or {@code percent:N}, checked by the API
     * @param bakeTime how long the cohort runs the revision before it is judged
     */
    public record Canary(String cohort, Duration bakeTime) {
    }
}
