/**
 * The config push: the WebSocket endpoint {@code /api/v1/dataplanes/connect} speaking wire v1, the
 * registry of open sessions per node, and the fan-out of each committed revision (after this
 * instance's own commits, and for every instance's commits announced through
 * {@link io.ballast.controlplane.notify}). It knows nothing of SQL: state goes through
 * {@link io.ballast.controlplane.fleet.FleetRegistry} and snapshots come from
 * {@link io.ballast.controlplane.revision.RevisionQueries} and the revision event.
 */
package io.ballast.controlplane.push;
