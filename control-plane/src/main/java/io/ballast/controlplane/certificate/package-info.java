/**
 * Certificates as configuration: checking a PEM chain and its key, sealing keys at rest (AES-GCM),
 * storing certificates beside pools and routes, and handing data planes the keys of a snapshot.
 */
package io.ballast.controlplane.certificate;
