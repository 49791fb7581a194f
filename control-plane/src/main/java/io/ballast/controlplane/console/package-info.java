/**
 * What the web console needs beyond the configuration API: who the caller is ({@code GET /api/v1/me})
 * and a short in-memory history of request and 5xx rates fed by data-plane heartbeats
 * ({@code GET /api/v1/pools/{pool}/traffic}, {@code GET /api/v1/traffic}).
 */
package io.ballast.controlplane.console;
