package io.ballast.controlplane.revision;

import io.ballast.controlplane.certificate.CertificateKeys;
import io.ballast.controlplane.notify.RevisionChannel;
import io.ballast.controlplane.persistence.RevisionEntity;
import io.ballast.controlplane.persistence.RevisionRepository;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.snapshot.SnapshotDiff;
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
 * advisory lock, so numbers are gap-free and in commit order. It is also the last gate every write
 * passes: the whole snapshot is validated and the safety rails compare it with the latest revision.
 */
@ApplicationScoped
public class RevisionRecorder {
    private static final Logger LOG = Logger.getLogger(RevisionRecorder.class);

    private final SnapshotReader reader;
    private final RevisionRepository revisions;
    private final SnapshotValidator validator;
    private final Event<PublishedSnapshot> published;
    private final CertificateKeys keys;

    RevisionRecorder(SnapshotReader reader, RevisionRepository revisions, SnapshotValidator validator,
                     Event<PublishedSnapshot> published, CertificateKeys keys) {
        this.keys = keys;
        this.reader = reader;
        this.revisions = revisions;
        this.validator = validator;
        this.published = published;
    }

    /**
     * @return the new revision, or empty when the configuration did not change
     * @throws io.ballast.model.validation.InvalidConfigException when the resulting snapshot is inconsistent
     * @throws UnsafeChangeException when a safety rail refuses the change and it is not forced
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Revision> record(Change change) {
        ConfigSnapshot snapshot = reader.current().canonical();
        validator.requireValid(snapshot);
        String json = snapshot.canonicalJson();
        String hash = ConfigSnapshot.sha256(json);
        Optional<RevisionEntity> latest = revisions.latest();
        if (latest.isPresent() && latest.get().hash.equals(hash)) {
            return Optional.empty();
        }
        ConfigSnapshot before = latest.map(r -> ConfigSnapshot.fromJson(r.snapshotJson)).orElse(ConfigSnapshot.EMPTY);
        SafetyRails.check(before, snapshot, change.force());
        SnapshotDiff.Summary summary = SnapshotDiff.between(before, snapshot).summary();
        RevisionEntity row = new RevisionEntity();
        row.number = latest.map(r -> r.number + 1).orElse(1L);
        row.createdAt = Instant.now();
        row.author = change.author();
        row.message = change.message();
        row.snapshotJson = json;
        row.hash = hash;
        row.createdCount = summary.created();
        row.updatedCount = summary.updated();
        row.deletedCount = summary.deleted();
        revisions.persist(row);
        RevisionChannel.announce(revisions.getEntityManager(), row.number);
        published.fire(new PublishedSnapshot(row.number, hash, snapshot, keys.privateKeysFor(snapshot)));
        LOG.infof("Revision %d recorded by %s (%s): %d created, %d updated, %d deleted", row.number, change.author(),
                hash.substring(0, 12), summary.created(), summary.updated(), summary.deleted());
        return Optional.of(new Revision(row.number, row.createdAt, row.author, row.message, row.hash, summary));
    }
}
