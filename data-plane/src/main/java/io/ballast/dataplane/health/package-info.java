/**
 * Active health checks (HTTP and TCP probes, thresholds, jittered intervals) and the per-backend health
 * state that survives config swaps.
 */
package io.ballast.dataplane.health;
