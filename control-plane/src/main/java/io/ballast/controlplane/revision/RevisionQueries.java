package io.ballast.controlplane.revision;

import io.ballast.controlplane.persistence.RevisionEntity;
import io.ballast.controlplane.persistence.RevisionRepository;
import io.ballast.model.snapshot.ConfigSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/** Read side of revisions, for the API and for pushing the latest snapshot to a new connection. */
@ApplicationScoped
@Transactional
public class RevisionQueries {
    private final RevisionRepository revisions;

    RevisionQueries(RevisionRepository revisions) {
        this.revisions = revisions;
    }

    public Optional<PublishedSnapshot> latestSnapshot() {
        return revisions.latest().map(RevisionQueries::toPublished);
    }

    public Optional<Revision> latest() {
        return revisions.latest().map(RevisionQueries::toRevision);
    }

    /** Newest first; {@code before} is the paging cursor (exclusive). */
    public List<Revision> page(Long before, int limit) {
        return revisions.pageDescending(before, limit).stream().map(RevisionQueries::toRevision).toList();
    }

    public Optional<RevisionWithSnapshot> find(long number) {
        return revisions.findByIdOptional(number)
                .map(r -> new RevisionWithSnapshot(toRevision(r), ConfigSnapshot.fromJson(r.snapshotJson)));
    }

    static Revision toRevision(RevisionEntity row) {
        return new Revision(row.number, row.createdAt, row.author, row.message, row.hash);
    }

    private static PublishedSnapshot toPublished(RevisionEntity row) {
        return new PublishedSnapshot(row.number, row.hash, ConfigSnapshot.fromJson(row.snapshotJson));
    }

    /** A revision and its complete configuration. */
    public record RevisionWithSnapshot(Revision revision, ConfigSnapshot snapshot) {
    }
}
