/**
 * Fleet-wide backend health: what every data plane observes (current state, transitions with reason codes,
 * in-flight counts), the aggregate per backend, history with retention, and waiting for a drain to finish.
 */
package io.ballast.controlplane.health;
