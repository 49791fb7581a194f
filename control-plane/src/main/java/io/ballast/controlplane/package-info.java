/**
 * The Ballast control plane: process start-up (embedded or external PostgreSQL) and the wiring of
 * the REST API, revisions, config push and data-plane registry found in the sub-packages.
 */
package io.ballast.controlplane;
