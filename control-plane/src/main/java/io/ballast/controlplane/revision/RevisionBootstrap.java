package io.ballast.controlplane.revision;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * On start, makes sure a revision describes the stored configuration, so a data plane that connects
 * to a fresh install always receives something (revision 1, the empty config).
 */
@ApplicationScoped
public class RevisionBootstrap {
    private static final Logger LOG = Logger.getLogger(RevisionBootstrap.class);

    private final ConfigWriter writer;
    private final RevisionQueries queries;

    RevisionBootstrap(ConfigWriter writer, RevisionQueries queries) {
        this.writer = writer;
        this.queries = queries;
    }

    void onStart(@Observes @Priority(10) StartupEvent event) {
        // Forced: the stored rows are what they are; a rail must not stop the control plane from starting.
        writer.write(new Change("system", "configuration at control-plane start", true), () -> null);
        queries.latest().ifPresent(r -> LOG.infof("Latest revision is %d (%s)", r.number(), r.hash().substring(0, 12)));
    }
}
