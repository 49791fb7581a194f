package io.ballast.controlplane.health;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Deletes health history older than {@code ballast.health.retention}, every
 * {@code ballast.health.prune-interval}, on a thread of its own. Current observations are never pruned.
 * Several control planes pruning at once is harmless (the same idempotent DELETE).
 */
@ApplicationScoped
public class HealthRetention {
    private static final Logger LOG = Logger.getLogger(HealthRetention.class);

    private final DataSource db;
    private final Duration retention;
    private final Duration interval;
    private ScheduledExecutorService timer;

    HealthRetention(DataSource db, @ConfigProperty(name = "ballast.health.retention") Duration retention,
                    @ConfigProperty(name = "ballast.health.prune-interval") Duration interval) {
        this.db = db;
        this.retention = retention;
        this.interval = interval;
    }

    void start(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ballast-health-retention");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::pruneQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Deletes the events received before now minus the retention; returns how many. */
    public int prune() {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM health_event WHERE received_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now().minus(retention)));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not prune health history", e);
        }
    }

    private void pruneQuietly() {
        try {
            int deleted = prune();
            if (deleted > 0) {
                LOG.infof("Pruned %d health events older than %s", deleted, retention);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Health history pruning failed (will retry): %s", e.getMessage());
        }
    }
}
