/**
 * Bearer tokens and roles: secrets are stored only as salted PBKDF2 hashes, found by a short lookup
 * key, verified in constant time, and cached briefly by the SHA-256 of the presented token. The REST
 * filter and the WebSocket upgrade check both authenticate through {@link io.ballast.controlplane.security.TokenService}.
 */
package io.ballast.controlplane.security;
