/**
 * Active health checks (HTTP, TCP and gRPC probes, thresholds, jittered intervals) and the per-backend health
 * state that survives config swaps. With {@code healthCheck.probers} ({@link io.ballast.dataplane.health.ProbeRelay})
 * the control plane may leave a backend's active check to other data planes and relay their verdicts; this node
 * probes everything again as soon as it loses the control plane.
 */
package io.ballast.dataplane.health;
