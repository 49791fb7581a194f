package io.ballast.model;

import java.time.Duration;
import java.util.Objects;

/** Per-pool timeouts: connect to a backend [2s], whole request [30s], idle connection [60s]. */
public record Timeouts(Duration connect, Duration request, Duration idle) {

    public static final Timeouts DEFAULT = new Timeouts(null, null, null);

    public Timeouts {
        connect = Objects.requireNonNullElse(connect, Duration.ofSeconds(2));
        request = Objects.requireNonNullElse(request, Duration.ofSeconds(30));
        idle = Objects.requireNonNullElse(idle, Duration.ofSeconds(60));
    }
}
