/**
 * The HTTP proxy: servers on the listen addresses, forwarding with streamed bodies, header hygiene,
 * retries, timeouts and problem answers.
 */
package io.ballast.dataplane.proxy;
