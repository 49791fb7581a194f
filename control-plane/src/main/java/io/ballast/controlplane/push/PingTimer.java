package io.ballast.controlplane.push;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends a wire {@code ping} to every identified data plane each {@code ballast.push.ping-interval}
 * (10 s), so each side notices a dead peer even when no revision is pushed, and releases a snapshot
 * held back behind one whose answer never came. Runs on a Vert.x timer:
 * sending only queues frames, it never blocks.
 */
@ApplicationScoped
public class PingTimer {
    private final Vertx vertx;
    private final DataPlaneSessions sessions;
    private final Duration interval;
    private long timerId = -1;

    PingTimer(Vertx vertx, DataPlaneSessions sessions, @ConfigProperty(name = "ballast.push.ping-interval") Duration interval) {
        this.vertx = vertx;
        this.sessions = sessions;
        this.interval = interval;
    }

    void onStart(@Observes StartupEvent event) {
        timerId = vertx.setPeriodic(interval.toMillis(), id -> {
            long now = System.currentTimeMillis();
            sessions.identified().forEach(s -> {
                s.ping(now);
                s.flushStalled();
            });
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }
}
