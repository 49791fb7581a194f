/**
 * Counters of the proxy and their Prometheus text rendering.
 */
package io.ballast.dataplane.metrics;
