package io.ballast.controlplane.notify;

import io.ballast.controlplane.push.SnapshotFanOut;
import io.ballast.controlplane.revision.RevisionChannel;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Holds one dedicated JDBC connection (not from the pool: a pooled connection would be handed to
 * other work, and its LISTEN lost with it) that listens on {@link RevisionChannel#NAME}, on a thread of
 * its own so neither an event loop nor a worker is ever blocked waiting. Each announced revision goes
 * to {@link SnapshotFanOut#announced}. When the connection breaks (PostgreSQL restarted or
 * unreachable) it reconnects with capped backoff and then catches up, because notifications sent
 * while it was away are lost.
 */
@ApplicationScoped
public class RevisionListener {
    private static final Logger LOG = Logger.getLogger(RevisionListener.class);
    private static final int POLL_MILLIS = 500;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final SnapshotFanOut fanOut;
    private final String url;
    private final Optional<String> user;
    private final Optional<String> password;
    private volatile boolean stopped;
    private volatile boolean listening;
    private Thread thread;

    RevisionListener(SnapshotFanOut fanOut,
                     @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
                     @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
                     @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.fanOut = fanOut;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    void onStart(@Observes StartupEvent event) {
        thread = new Thread(this::run, "ballast-revision-listener");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Whether the LISTEN connection is up now. */
    public boolean listening() {
        return listening;
    }

    private void run() {
        long backoff = 100;
        boolean everConnected = false;
        while (!stopped) {
            try (Connection connection = DriverManager.getConnection(url, user.orElse(null), password.orElse(null))) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + RevisionChannel.NAME);
                }
                listening = true;
                backoff = 100;
                if (everConnected) {
                    LOG.infof("Listening for revisions again on channel %s", RevisionChannel.NAME);
                }
                everConnected = true;
                catchUp();
                listen(connection.unwrap(PGConnection.class));
            } catch (SQLException | RuntimeException e) {
                if (stopped) {
                    return;
                }
                if (listening || !everConnected) {
                    LOG.warnf("Revision listener lost its database connection (%s); reconnecting", e.getMessage());
                }
                listening = false;
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
        listening = false;
    }

    private void listen(PGConnection connection) throws SQLException {
        while (!stopped) {
            // Blocks up to POLL_MILLIS and throws when the connection breaks.
            PGNotification[] notifications = connection.getNotifications(POLL_MILLIS);
            if (notifications == null) {
                continue;
            }
            long newest = 0;
            for (PGNotification n : notifications) {
                newest = Math.max(newest, parse(n.getParameter()));
            }
            if (newest > 0) {
                fanOut.announced(newest);
            }
        }
    }

    private void catchUp() {
        try {
            fanOut.catchUp();
        } catch (RuntimeException e) {
            LOG.warnf("Could not catch up on revisions: %s", e.getMessage());
        }
    }

    private static long parse(String payload) {
        try {
            return Long.parseLong(payload);
        } catch (NumberFormatException e) {
            LOG.infof("Ignored a notification with payload '%s' on %s", payload, RevisionChannel.NAME);
            return 0;
        }
    }
}
