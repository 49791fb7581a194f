/**
 * Canary rollouts of configuration: a write with {@code ?rollout=canary} records its revision but the
 * fleet is split, the cohort running it and everyone else the previous one, while the control plane
 * compares the cohort's 5xx rate and p99 (from heartbeats) with the rest's; it promotes, or aborts and
 * puts the previous configuration back. All state is in PostgreSQL, so any control-plane instance
 * pushes the split and any can judge it (one at a time, under a lease).
 */
package io.ballast.controlplane.rollout;
