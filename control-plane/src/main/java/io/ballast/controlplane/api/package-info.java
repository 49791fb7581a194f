/**
 * The REST API v1 under {@code /api/v1}: thin JAX-RS resources whose bodies are shared-model records
 * (or small DTO records), and the one family of exception mappers that answers every error as an
 * RFC 9457 {@code application/problem+json} document.
 */
package io.ballast.controlplane.api;
