/**
 * The admin server: liveness, readiness, status and metrics endpoints.
 */
package io.ballast.dataplane.admin;
