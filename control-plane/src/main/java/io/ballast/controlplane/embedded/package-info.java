/**
 * The embedded PostgreSQL the control plane runs when no external database is configured: started before
 * Quarkus boots, protected by a generated password, watched and restarted when its postmaster dies, with its
 * restarts on {@code /q/metrics}.
 */
package io.ballast.controlplane.embedded;
