/**
 * Immutable routing tables built from a snapshot (host, then longest path prefix, then priority) and the
 * one atomic reference through which requests see the config that is active.
 */
package io.ballast.dataplane.routing;
