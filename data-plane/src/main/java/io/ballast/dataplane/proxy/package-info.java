/**
 * The HTTP proxy: servers on the listen addresses, forwarding with streamed bodies, header hygiene,
 * retries, timeouts and problem answers; backend connections are HTTP/1.1 keep-alive, or HTTP/2 streams of
 * shared connections for {@code protocol: h2c | h2} pools.
 */
package io.ballast.dataplane.proxy;
