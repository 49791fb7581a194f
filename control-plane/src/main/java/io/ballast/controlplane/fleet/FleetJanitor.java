package io.ballast.controlplane.fleet;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Deletes registry rows of nodes not heard from for {@code ballast.dataplanes.purge-after} (24 h), once a
 * minute. Every instance runs it; the delete is idempotent, so several doing it at once is harmless.
 * The timer fires on the event loop and hands the JDBC work to a worker thread.
 */
@ApplicationScoped
public class FleetJanitor {
    private static final Logger LOG = Logger.getLogger(FleetJanitor.class);
    private static final long EVERY_MILLIS = 60_000;

    private final Vertx vertx;
    private final FleetRegistry fleet;
    private final Duration purgeAfter;
    private long timerId = -1;

    FleetJanitor(Vertx vertx, FleetRegistry fleet, @ConfigProperty(name = "ballast.dataplanes.purge-after") Duration purgeAfter) {
        this.vertx = vertx;
        this.fleet = fleet;
        this.purgeAfter = purgeAfter;
    }

    void onStart(@Observes StartupEvent event) {
        timerId = vertx.setPeriodic(EVERY_MILLIS, id -> vertx.executeBlocking(() -> {
            purge();
            return null;
        }, false));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    private void purge() {
        try {
            List<String> gone = fleet.purgeSilentSince(Instant.now().minus(purgeAfter));
            if (!gone.isEmpty()) {
                LOG.infof("Purged %d data plane(s) silent for more than %s: %s", gone.size(), purgeAfter, gone);
            }
        } catch (RuntimeException e) {
            // The database may be down; the next round tries again.
            LOG.debugf("Purge of silent data planes skipped: %s", e.getMessage());
        }
    }
}
