/** Talking to the control plane: where it is and with which token, HTTP calls, and RFC 9457 problems. */
package io.ballast.cli.api;
