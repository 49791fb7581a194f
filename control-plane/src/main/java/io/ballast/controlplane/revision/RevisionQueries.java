package io.ballast.controlplane.revision;

import io.ballast.controlplane.certificate.CertificateKeys;
import io.ballast.controlplane.persistence.RevisionEntity;
import io.ballast.controlplane.persistence.RevisionRepository;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.snapshot.SnapshotDiff;
import io.ballast.model.snapshot.SnapshotIndex;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/** Read side of revisions, for the API and for pushing the latest snapshot to a new connection. */
@ApplicationScoped
@Transactional
public class RevisionQueries {
    private final RevisionRepository revisions;
    private final CertificateKeys keys;
    private final LiveSnapshot live;

    RevisionQueries(RevisionRepository revisions, CertificateKeys keys, LiveSnapshot live) {
        this.revisions = revisions;
        this.keys = keys;
        this.live = live;
    }

    /**
     * The newest revision as data planes receive it, with the private keys of its certificates. Its
     * snapshot comes from memory when this instance holds it (every hello asks for it), else from its row.
     */
    public Optional<PublishedSnapshot> latestSnapshot() {
        return revisions.head().map(head -> {
            SnapshotIndex index = live.at(head.number(), head.hash()).orElseGet(() -> {
                SnapshotIndex read = SnapshotIndex.of(ConfigSnapshot.fromJson(revisions.findById(head.number()).snapshotJson));
                live.rememberRead(head.number(), head.hash(), read);
                return read;
            });
            ConfigSnapshot config = index.snapshot();
            return new PublishedSnapshot(head.number(), head.hash(), config, keys.privateKeysFor(config), index);
        });
    }


    /** The newest revision's configuration without opening any key (for exports). */
    public Optional<PublishedSnapshot> latestConfig() {
        return revisions.latest().map(row -> new PublishedSnapshot(row.number, row.hash, ConfigSnapshot.fromJson(row.snapshotJson)));
    }

    /** Revision {@code number} as it is pushed. */
    public Optional<PublishedSnapshot> published(long number) {
        return revisions.findByIdOptional(number).map(this::toPublished);
    }

    /** The newest revision's number, 0 when there is none; reads no snapshot. */
    public long latestNumber() {
        return revisions.head().map(RevisionRepository.Head::number).orElse(0L);
    }

    public Optional<Revision> latest() {
        return revisions.latest().map(this::toRevision);
    }

    /** Newest first; {@code before} is the paging cursor (exclusive). */
    public List<Revision> page(Long before, int limit) {
        return revisions.pageDescending(before, limit).stream().map(this::toRevision).toList();
    }

    public Optional<RevisionWithSnapshot> find(long number) {
        return revisions.findByIdOptional(number)
                .map(r -> new RevisionWithSnapshot(toRevision(r), ConfigSnapshot.fromJson(r.snapshotJson)));
    }

    /**
     * What changed from revision {@code from} to revision {@code to} (either may be the older one);
     * empty when either does not exist. Revision 0 stands for the empty configuration before revision 1.
     */
    public Optional<SnapshotDiff> diff(long from, long to) {
        Optional<ConfigSnapshot> before = snapshot(from);
        Optional<ConfigSnapshot> after = snapshot(to);
        if (before.isEmpty() || after.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(SnapshotDiff.between(before.get(), after.get()));
    }

    private Optional<ConfigSnapshot> snapshot(long number) {
        if (number == 0) {
            return Optional.of(ConfigSnapshot.EMPTY);
        }
        return revisions.findByIdOptional(number).map(r -> ConfigSnapshot.fromJson(r.snapshotJson));
    }

    Revision toRevision(RevisionEntity row) {
        SnapshotDiff.Summary summary = row.createdCount != null
                ? new SnapshotDiff.Summary(row.createdCount, row.updatedCount, row.deletedCount)
                // Recorded before the counts were stored: work them out once more.
                : diff(row.number - 1, row.number).map(SnapshotDiff::summary).orElse(new SnapshotDiff.Summary(0, 0, 0));
        return new Revision(row.number, row.createdAt, row.author, row.message, row.hash, summary);
    }

    private PublishedSnapshot toPublished(RevisionEntity row) {
        ConfigSnapshot config = ConfigSnapshot.fromJson(row.snapshotJson);
        return new PublishedSnapshot(row.number, row.hash, config, keys.privateKeysFor(config));
    }

    /** A revision and its complete configuration. */
    public record RevisionWithSnapshot(Revision revision, ConfigSnapshot snapshot) {
    }
}
