/**
 * Revisions: every committed configuration change is recorded, in the same transaction, as a
 * numbered, hashed, complete snapshot; after commit a {@link io.ballast.controlplane.revision.PublishedSnapshot}
 * CDI event announces it. This package knows nothing of WebSockets: the push side only observes that
 * event and asks {@link io.ballast.controlplane.revision.RevisionQueries} for the latest snapshot.
 */
package io.ballast.controlplane.revision;
