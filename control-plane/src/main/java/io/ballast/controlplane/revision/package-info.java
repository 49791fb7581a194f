/**
 * Revisions: every committed configuration change is recorded, in the same transaction, as a
 * numbered, hashed, complete snapshot; after commit a {@link io.ballast.controlplane.revision.PublishedSnapshot}
 * CDI event announces it. This package knows nothing of WebSockets: the push side only observes that
 * event and asks {@link io.ballast.controlplane.revision.RevisionQueries} for the latest snapshot. It keeps the
 * snapshots of recent revisions in memory ({@link io.ballast.controlplane.revision.LiveSnapshot}), so a write
 * costs its change, not the whole config.
 */
package io.ballast.controlplane.revision;
