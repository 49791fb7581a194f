package io.ballast.model;

import java.time.Duration;
import java.util.Objects;

/**
 * Passive health checking on live traffic: a backend that fails this many requests in a row is
 * ejected for {@code baseEjectionTime × number of ejections}, never more than
 * {@code maxEjectionPercent} of a pool at once.
 */
public record OutlierDetection(
        Integer consecutive5xx,
        Integer consecutiveGatewayFailures,
        Duration baseEjectionTime,
        Integer maxEjectionPercent) {

    public static final OutlierDetection DEFAULT = new OutlierDetection(null, null, null, null);

    public OutlierDetection {
        consecutive5xx = Objects.requireNonNullElse(consecutive5xx, 5);
        consecutiveGatewayFailures = Objects.requireNonNullElse(consecutiveGatewayFailures, 3);
        baseEjectionTime = Objects.requireNonNullElse(baseEjectionTime, Duration.ofSeconds(30));
        maxEjectionPercent = Objects.requireNonNullElse(maxEjectionPercent, 50);
    }
}
