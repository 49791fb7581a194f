/**
 * How a data plane leaves service without failing a request: the drain state the proxy and the admin server
 * read, the drain sequence (readiness down, serve for the drain delay, stop accepting, let in-flight requests
 * finish within the grace, stop) and the SIGTERM hook that starts it.
 */
package io.ballast.dataplane.lifecycle;
