/**
 * TLS on the data plane, independent of the HTTP engine: the server certificates of a snapshot,
 * parsed into an immutable set, and the choice of certificate for a handshake by SNI.
 */
package io.ballast.dataplane.tls;
