package io.ballast.dataplane.health;

import static java.util.Objects.requireNonNull;

import io.ballast.model.HealthCheck;

/**
 * One backend address to probe, as the current snapshot describes it. Immutable.
 *
 * @param id      stable identity across snapshots: {@code pool/host:port}
 * @param pool    pool name (for reports)
 * @param backend backend name (for reports)
 * @param host    where to connect
 * @param port    where to connect
 * @param check   how to probe
 * @param status  where results go; the same object for the same id as long as the address stays configured
 */
public record HealthTarget(String id, String pool, String backend, String host, int port, HealthCheck check, HealthStatus status) {
    public HealthTarget {
        requireNonNull(id, "id");
        requireNonNull(host, "host");
        requireNonNull(check, "check");
        requireNonNull(status, "status");
    }
}
