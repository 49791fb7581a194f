/**
 * How several control-plane instances learn of each other's commits: the revision transaction sends
 * a PostgreSQL {@code NOTIFY} on {@link io.ballast.controlplane.notify.RevisionChannel#NAME} (delivered
 * only if it commits), and every instance holds a dedicated {@code LISTEN} connection that hands each
 * announced revision to the push fan-out, reconnecting by itself when PostgreSQL restarts.
 */
package io.ballast.controlplane.notify;
