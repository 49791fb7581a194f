/**
 * How several control-plane instances learn of each other's commits: the revision transaction sends
 * a PostgreSQL {@code NOTIFY} on {@link io.ballast.controlplane.revision.RevisionChannel#NAME} (delivered
 * only if it commits; the channel belongs to the revision package, so that revision depends on neither
 * notify nor push and the packages form no cycle), and every instance holds a dedicated {@code LISTEN} connection that hands each
 * announced revision to the push fan-out, reconnecting by itself when PostgreSQL restarts.
 */
package io.ballast.controlplane.notify;
