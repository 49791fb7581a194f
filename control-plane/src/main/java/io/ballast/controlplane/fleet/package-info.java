/**
 * The data-plane registry: which nodes exist, which control-plane instance holds their connection,
 * what revision each has applied or refused and how long each revision took to reach it, which
 * data-plane versions are accepted, each node's sync state, and the purge of nodes gone silent.
 * Transport-neutral: the WebSocket endpoint calls it with decoded wire messages.
 */
package io.ballast.controlplane.fleet;
