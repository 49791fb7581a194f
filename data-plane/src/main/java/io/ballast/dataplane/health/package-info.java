/**
 * Active health checks (HTTP, TCP and gRPC probes, thresholds, jittered intervals) and the per-backend health
 * state that survives config swaps.
 */
package io.ballast.dataplane.health;
