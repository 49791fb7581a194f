package io.ballast.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A set of backends that serve the same content, and how traffic is spread and checked over them.
 * Defaults follow API.md. {@code backends} is never null; its order carries no meaning.
 */
public record Pool(
        String name,
        String description,
        Algorithm algorithm,
        String hashOn,
        String stickyCookie,
        HealthCheck healthCheck,
        OutlierDetection outlierDetection,
        Integer panicThresholdPercent,
        RetryPolicy retries,
        Timeouts timeouts,
        Duration slowStart,
        Integer maxConnectionsPerBackend,
        Integer maxPendingRequests,
        @JsonInclude(JsonInclude.Include.NON_NULL) PoolTls tls,
        Map<String, String> labels,
        List<Backend> backends) {

    public Pool {
        algorithm = Objects.requireNonNullElse(algorithm, Algorithm.ROUND_ROBIN);
        healthCheck = Objects.requireNonNullElse(healthCheck, HealthCheck.DEFAULT);
        outlierDetection = Objects.requireNonNullElse(outlierDetection, OutlierDetection.DEFAULT);
        panicThresholdPercent = Objects.requireNonNullElse(panicThresholdPercent, 50);
        retries = Objects.requireNonNullElse(retries, RetryPolicy.DEFAULT);
        timeouts = Objects.requireNonNullElse(timeouts, Timeouts.DEFAULT);
        slowStart = Objects.requireNonNullElse(slowStart, Duration.ZERO);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        backends = backends == null ? List.of() : List.copyOf(backends);
    }

    /**
     * A pool without TLS to its backends ({@code tls} null: absent from its JSON, so configs written before the
     * field existed keep their hash).
     */
    public Pool(String name, String description, Algorithm algorithm, String hashOn, String stickyCookie,
                HealthCheck healthCheck, OutlierDetection outlierDetection, Integer panicThresholdPercent,
                RetryPolicy retries, Timeouts timeouts, Duration slowStart, Integer maxConnectionsPerBackend,
                Integer maxPendingRequests, Map<String, String> labels, List<Backend> backends) {
        this(name, description, algorithm, hashOn, stickyCookie, healthCheck, outlierDetection, panicThresholdPercent,
                retries, timeouts, slowStart, maxConnectionsPerBackend, maxPendingRequests, null, labels, backends);
    }

    /** Whether backend connections and HTTP health checks of this pool use TLS. */
    public boolean tlsEnabled() {
        return tls != null && tls.enabled();
    }

    public Pool withTls(PoolTls newTls) {
        return new Pool(name, description, algorithm, hashOn, stickyCookie, healthCheck, outlierDetection,
                panicThresholdPercent, retries, timeouts, slowStart, maxConnectionsPerBackend, maxPendingRequests,
                newTls, labels, backends);
    }

    /** A pool with every setting at its default. */
    public static Pool named(String name) {
        return new Pool(name, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public Pool withBackends(List<Backend> newBackends) {
        return new Pool(name, description, algorithm, hashOn, stickyCookie, healthCheck, outlierDetection,
                panicThresholdPercent, retries, timeouts, slowStart, maxConnectionsPerBackend, maxPendingRequests,
                tls, labels, newBackends);
    }

    public Pool withHealthCheck(HealthCheck newCheck) {
        return new Pool(name, description, algorithm, hashOn, stickyCookie, newCheck, outlierDetection,
                panicThresholdPercent, retries, timeouts, slowStart, maxConnectionsPerBackend, maxPendingRequests,
                tls, labels, backends);
    }

    public Pool withAlgorithm(Algorithm newAlgorithm) {
        return new Pool(name, description, newAlgorithm, hashOn, stickyCookie, healthCheck, outlierDetection,
                panicThresholdPercent, retries, timeouts, slowStart, maxConnectionsPerBackend, maxPendingRequests,
                tls, labels, backends);
    }
}
