/**
 * Immutable routing tables built from a snapshot (host, then exact path, longest prefix or regex, then match
 * conditions, then priority) and the one atomic reference through which requests see the config that is active.
 */
package io.ballast.dataplane.routing;
