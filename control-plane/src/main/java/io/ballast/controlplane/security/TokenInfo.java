package io.ballast.controlplane.security;

import java.time.Instant;

/**
 * A token as the API shows it: never the secret, which exists only in the answer that created it.
 *
 * @param lastUsedAt when it last authenticated a call (to the minute); null if never
 * @param createdBy  the token that created it; null for tokens the control plane provisioned itself
 */
public record TokenInfo(String name, String role, Instant createdAt, Instant lastUsedAt, String createdBy) {
}
