package io.ballast.controlplane.push;

import io.ballast.controlplane.fleet.FleetRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * A clean stop of this control-plane instance. Its data planes' sockets close late in the shutdown, when the
 * database connections and transactions are already going away: recording each disconnect then failed with a
 * warning and a transaction stack trace. So the stop records them all at once, first, while the database is
 * still there, and the socket endpoint leaves the database alone from then on. Thread-safe.
 */
@ApplicationScoped
public class InstanceShutdown {
    private static final Logger LOG = Logger.getLogger(InstanceShutdown.class);

    private final FleetRegistry fleet;
    private volatile boolean stopping;

    InstanceShutdown(FleetRegistry fleet) {
        this.fleet = fleet;
    }

    /** Whether this instance is stopping (its sockets are about to close, its database access is ending). */
    public boolean stopping() {
        return stopping;
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        try {
            int nodes = fleet.disconnectAllOfThisInstance();
            LOG.infof("Stopping: %d data plane(s) of this control plane marked disconnected; they reconnect to another one", nodes);
        } catch (RuntimeException e) {
            // The database may be what is failing; the rows then go stale by themselves (ballast.dataplanes.stale-after).
            LOG.infof("Stopping: could not mark this control plane's data planes disconnected (%s)", e.getMessage());
        }
    }
}
