/**
 * Backends and pools as the proxy sees them: the per-address live state that survives config swaps (health,
 * in-flight count) and the per-snapshot pools that pick an eligible backend.
 */
package io.ballast.dataplane.upstream;
