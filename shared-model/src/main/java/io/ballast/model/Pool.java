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
        List<Backend> backends,
        String protocol) {

    /** What {@code protocol} may be: HTTP/1.1, HTTP/2 in cleartext (prior knowledge), HTTP/2 over TLS (ALPN). */
    public static final List<String> PROTOCOLS = List.of("http1", "h2c", "h2");

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
                retries, timeouts, slowStart, maxConnectionsPerBackend, maxPendingRequests, null, labels, backends, null);
    }

    /**
     * A pool speaking HTTP/1.1 to its backends ({@code protocol} null: absent from its JSON, so configs written
     * before the field existed keep their hash).
     */
    public Pool(String name, String description, Algorithm algorithm, String hashOn, String stickyCookie,
                HealthCheck healthCheck, OutlierDetection outlierDetection, Integer panicThresholdPercent,
                RetryPolicy retries, Timeouts timeouts, Duration slowStart, Integer maxConnectionsPerBackend,
                Integer maxPendingRequests, PoolTls tls, Map<String, String> labels, List<Backend> backends) {
        this(name, description, algorithm, hashOn, stickyCookie, healthCheck, outlierDetection, panicThresholdPercent,
                retries, timeouts, slowStart, maxConnectionsPerBackend, maxPendingRequests, tls, labels, backends, null);
    }

    /** {@code protocol} read with its default, {@code http1}. */
    public String backendProtocol() {
        return protocol == null ? "http1" : protocol;
    }

    /** Whether backend connections speak HTTP/2 ({@code h2c} or {@code h2}). */
    public boolean http2ToBackends() {
        return "h2c".equals(protocol) || "h2".equals(protocol);
    }

    /** Whether backend connections and HTTP health checks of this pool use TLS. */
    public boolean tlsEnabled() {
        return tls != null && tls.enabled();
    }

    public Pool withTls(PoolTls newTls) {
        return toBuilder().tls(newTls).build();
    }

    /** A pool with every setting at its default. */
    public static Pool named(String name) {
        return builder(name).build();
    }

    /** A builder of a pool named {@code name}, every other setting unset (so at its default). */
    public static Builder builder(String name) {
        return new Builder().name(name);
    }

    /** A builder holding this pool's settings, to make a copy that differs in a few. */
    public Builder toBuilder() {
        return new Builder().name(name).description(description).algorithm(algorithm).hashOn(hashOn)
                .stickyCookie(stickyCookie).healthCheck(healthCheck).outlierDetection(outlierDetection)
                .panicThresholdPercent(panicThresholdPercent).retries(retries).timeouts(timeouts).slowStart(slowStart)
                .maxConnectionsPerBackend(maxConnectionsPerBackend).maxPendingRequests(maxPendingRequests).tls(tls).labels(labels)
                .backends(backends).protocol(protocol);
    }

    public Pool withBackends(List<Backend> newBackends) {
        return toBuilder().backends(newBackends).build();
    }

    public Pool withHealthCheck(HealthCheck newCheck) {
        return toBuilder().healthCheck(newCheck).build();
    }

    public Pool withAlgorithm(Algorithm newAlgorithm) {
        return toBuilder().algorithm(newAlgorithm).build();
    }

    /**
     * Builds a {@link Pool} by field name rather than by position (the record has many fields, and more come):
     * the one place that calls the canonical constructor. A field left unset gets its default. Not thread-safe.
     */
    public static final class Builder {
        private String name;
        private String description;
        private Algorithm algorithm;
        private String hashOn;
        private String stickyCookie;
        private HealthCheck healthCheck;
        private OutlierDetection outlierDetection;
        private Integer panicThresholdPercent;
        private RetryPolicy retries;
        private Timeouts timeouts;
        private Duration slowStart;
        private Integer maxConnectionsPerBackend;
        private Integer maxPendingRequests;
        private PoolTls tls;
        private Map<String, String> labels;
        private List<Backend> backends;
        private String protocol;

        private Builder() {
        }

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder description(String value) {
            description = value;
            return this;
        }

        public Builder algorithm(Algorithm value) {
            algorithm = value;
            return this;
        }

        public Builder hashOn(String value) {
            hashOn = value;
            return this;
        }

        public Builder stickyCookie(String value) {
            stickyCookie = value;
            return this;
        }

        public Builder healthCheck(HealthCheck value) {
            healthCheck = value;
            return this;
        }

        public Builder outlierDetection(OutlierDetection value) {
            outlierDetection = value;
            return this;
        }

        public Builder panicThresholdPercent(Integer value) {
            panicThresholdPercent = value;
            return this;
        }

        public Builder retries(RetryPolicy value) {
            retries = value;
            return this;
        }

        public Builder timeouts(Timeouts value) {
            timeouts = value;
            return this;
        }

        public Builder slowStart(Duration value) {
            slowStart = value;
            return this;
        }

        public Builder maxConnectionsPerBackend(Integer value) {
            maxConnectionsPerBackend = value;
            return this;
        }

        public Builder maxPendingRequests(Integer value) {
            maxPendingRequests = value;
            return this;
        }

        public Builder tls(PoolTls value) {
            tls = value;
            return this;
        }

        public Builder labels(Map<String, String> value) {
            labels = value;
            return this;
        }

        public Builder backends(List<Backend> value) {
            backends = value;
            return this;
        }

        public Builder protocol(String value) {
            protocol = value;
            return this;
        }

        public Pool build() {
            return new Pool(name, description, algorithm, hashOn, stickyCookie, healthCheck, outlierDetection,
                    panicThresholdPercent, retries, timeouts, slowStart, maxConnectionsPerBackend, maxPendingRequests,
                    tls, labels, backends, protocol);
        }
    }
}
