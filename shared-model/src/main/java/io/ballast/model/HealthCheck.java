package io.ballast.model;

import java.time.Duration;
import java.util.Objects;

/**
 * How every data plane actively probes a pool's backends.
 *
 * @param type               {@code http} (default), {@code tcp} or {@code grpc} (grpc.health.v1 Health/Check over the
 *                           pool's {@code h2c} or {@code h2} connection; SERVING passes)
 * @param method             HTTP method of the probe [GET]
 * @param path               HTTP path of the probe [/]
 * @param host               Host header of the probe [the backend's host]
 * @param expectedStatuses   status ranges that pass, e.g. {@code 200-399} or {@code 200,204}
 * @param interval           time between probes of a steady backend [5s]
 * @param timeout            a probe slower than this fails [2s]
 * @param healthyThreshold   consecutive passes that make a backend healthy [2]
 * @param unhealthyThreshold consecutive failures that make a backend unhealthy [3]
 * @param transitionInterval time between probes while a backend is changing state [1s]
 * @param initialState       state of a new backend: {@code initial} (no traffic until the first pass) or {@code healthy}
 * @param service            {@code grpc} only: the service name asked about [empty: the server as a whole]
 * @param probers            how many data planes actively probe each backend, 1 to 1000 [null: every data plane while
 *                           the fleet has at most {@link #ALL_PROBERS_UP_TO} of them, else {@link #DEFAULT_PROBERS}].
 *                           The control plane picks them per backend by rendezvous hashing over connected node ids
 *                           and relays their verdicts to the others; data planes that do not announce the
 *                           {@code probe-assignment} feature, or that lost the control plane, probe everything
 */
public record HealthCheck(
        String type,
        String method,
        String path,
        String host,
        String expectedStatuses,
        Duration interval,
        Duration timeout,
        Integer healthyThreshold,
        Integer unhealthyThreshold,
        Duration transitionInterval,
        String initialState,
        String service,
        Integer probers) {

    public static final HealthCheck DEFAULT = new HealthCheck(null, null, null, null, null, null, null, null, null, null, null);
    /** With no {@code probers} set, a fleet of at most this many data planes has every one probe every backend. */
    public static final int ALL_PROBERS_UP_TO = 5;
    /** With no {@code probers} set, the probers per backend in a fleet larger than {@link #ALL_PROBERS_UP_TO}. */
    public static final int DEFAULT_PROBERS = 3;

    /** A check without a prober count ({@code probers} null: absent from its JSON, the default applies). */
    public HealthCheck(String type, String method, String path, String host, String expectedStatuses, Duration interval,
                       Duration timeout, Integer healthyThreshold, Integer unhealthyThreshold, Duration transitionInterval,
                       String initialState, String service) {
        this(type, method, path, host, expectedStatuses, interval, timeout, healthyThreshold, unhealthyThreshold,
                transitionInterval, initialState, service, null);
    }

    /** A check without a gRPC service name ({@code service} null: absent from its JSON). */
    public HealthCheck(String type, String method, String path, String host, String expectedStatuses, Duration interval,
                       Duration timeout, Integer healthyThreshold, Integer unhealthyThreshold, Duration transitionInterval,
                       String initialState) {
        this(type, method, path, host, expectedStatuses, interval, timeout, healthyThreshold, unhealthyThreshold,
                transitionInterval, initialState, null, null);
    }

    public HealthCheck {
        type = Objects.requireNonNullElse(type, "http");
        method = Objects.requireNonNullElse(method, "GET");
        path = Objects.requireNonNullElse(path, "/");
        expectedStatuses = Objects.requireNonNullElse(expectedStatuses, "200-399");
        interval = Objects.requireNonNullElse(interval, Duration.ofSeconds(5));
        timeout = Objects.requireNonNullElse(timeout, Duration.ofSeconds(2));
        healthyThreshold = Objects.requireNonNullElse(healthyThreshold, 2);
        unhealthyThreshold = Objects.requireNonNullElse(unhealthyThreshold, 3);
        transitionInterval = Objects.requireNonNullElse(transitionInterval, Duration.ofSeconds(1));
        initialState = Objects.requireNonNullElse(initialState, "initial");
    }

    /** How many of {@code fleetSize} data planes probe each backend: {@link #probers()} or the default, at most the fleet. */
    public int probersAmong(int fleetSize) {
        int wanted = probers != null ? probers : fleetSize <= ALL_PROBERS_UP_TO ? fleetSize : DEFAULT_PROBERS;
        return Math.max(0, Math.min(wanted, fleetSize));
    }

    /** True when {@code status} is inside one of the {@link #expectedStatuses()} ranges. */
    public boolean accepts(int status) {
        return StatusRanges.contains(expectedStatuses, status);
    }
}
