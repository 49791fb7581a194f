/**
 * The control-plane client (wire v1 over a WebSocket), the snapshot apply path with its atomic swap, and the
 * last good snapshot cached on disk.
 */
package io.ballast.dataplane.config;
