package io.ballast.controlplane.revision;

import io.ballast.controlplane.notify.RevisionChannel;
import io.ballast.controlplane.persistence.RevisionEntity;
import io.ballast.controlplane.persistence.RevisionRepository;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.snapshot.SnapshotValidator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Records the configuration of the current transaction as a new revision, unless it hashes the same
 * as the latest one. Must run inside the writer's transaction, after {@link ConfigWriter} took the
 * advisory lock, so numbers are gap-free and in commit order.
 */
@ApplicationScoped
public class RevisionRecorder {
    private static final Logger LOG = Logger.getLogger(RevisionRecorder.class);

    private final SnapshotReader reader;
    private final RevisionRepository revisions;
    private final SnapshotValidator validator;
    private final Event<PublishedSnapshot> published;

    RevisionRecorder(SnapshotReader reader, RevisionRepository revisions, Event<PublishedSnapshot> published) {
        this.reader = reader;
        this.revisions = revisions;
        this.validator = SnapshotValidator.withDefaults();
        this.published = published;
    }

    /**
     * @return the new revision, or empty when the configuration did not change
     * @throws io.ballast.model.validation.InvalidConfigException when the resulting snapshot is inconsistent
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Revision> record(String author, String message) {
        ConfigSnapshot snapshot = reader.current().canonical();
        validator.requireValid(snapshot);
        String json = snapshot.canonicalJson();
        String hash = ConfigSnapshot.sha256(json);
        Optional<RevisionEntity> latest = revisions.latest();
        if (latest.isPresent() && latest.get().hash.equals(hash)) {
            return Optional.empty();
        }
        RevisionEntity row = new RevisionEntity();
        row.number = latest.map(r -> r.number + 1).orElse(1L);
        row.createdAt = Instant.now();
        row.author = author;
        row.message = message;
        row.snapshotJson = json;
        row.hash = hash;
        revisions.persist(row);
        RevisionChannel.announce(revisions.getEntityManager(), row.number);
        published.fire(new PublishedSnapshot(row.number, hash, snapshot));
        LOG.infof("Revision %d recorded by %s (%s)", row.number, author, hash.substring(0, 12));
        return Optional.of(RevisionQueries.toRevision(row));
    }
}
