package io.ballast.dataplane.health;

import io.vertx.core.Future;

/**
 * Checks a backend once. Implementations never block and always complete the future, with a failed
 * {@link ProbeOutcome} rather than a failed future, within the check's timeout. Thread-safe.
 */
@FunctionalInterface
public interface Probe {
    Future<ProbeOutcome> probe(HealthTarget target);
}
