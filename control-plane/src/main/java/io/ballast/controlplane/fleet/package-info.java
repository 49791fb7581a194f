/**
 * The data-plane registry: which nodes exist, which control-plane instance holds their connection,
 * what revision each has applied or refused, and when each was last heard from. Transport-neutral:
 * the WebSocket endpoint calls it with decoded wire messages.
 */
package io.ballast.controlplane.fleet;
