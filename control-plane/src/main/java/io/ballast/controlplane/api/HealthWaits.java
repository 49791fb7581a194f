package io.ballast.controlplane.api;

import io.ballast.controlplane.health.BackendHealth;
import io.ballast.model.AdminState;
import io.ballast.model.Durations;
import io.ballast.model.validation.Violation;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reads {@code ?wait=&timeout=} of the drain, enable and disable endpoints: {@code wait=drained} after drain or
 * disable, {@code wait=healthy} after enable; {@code timeout} [60s] up to an hour. Checked before anything
 * is written, so a bad parameter changes nothing.
 */
final class HealthWaits {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);

    private HealthWaits() {
    }

    record Wait(Predicate<BackendHealth> wanted, Duration timeout) {
    }

    static Optional<Wait> parse(AdminState state, String wait, String timeout) {
        if (wait == null || wait.isBlank()) {
            if (timeout != null && !timeout.isBlank()) {
                throw bad("timeout", "only applies together with 'wait'");
            }
            return Optional.empty();
        }
        String expected = state == AdminState.ENABLED ? "healthy" : "drained";
        if (!expected.equals(wait.trim())) {
            throw bad("wait", "must be '" + expected + "' here");
        }
        Duration limit = DEFAULT_TIMEOUT;
        if (timeout != null && !timeout.isBlank()) {
            try {
                limit = Durations.parse(timeout.trim());
            } catch (RuntimeException e) {
                throw bad("timeout", "must be a duration such as 60s or 5m");
            }
            if (limit.isNegative() || limit.compareTo(MAX_TIMEOUT) > 0) {
                throw bad("timeout", "must be from 0s to 1h");
            }
        }
        return Optional.of(new Wait(h -> expected.equals(h.state()), limit));
    }

    private static InvalidRequestException bad(String field, String message) {
        return new InvalidRequestException("bad query parameter", List.of(new Violation(field, message)));
    }
}
