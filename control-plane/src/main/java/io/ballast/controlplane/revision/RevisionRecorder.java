package io.ballast.controlplane.revision;

import io.ballast.controlplane.certificate.CertificateKeys;
import io.ballast.controlplane.persistence.ConfigTouches;
import io.ballast.controlplane.persistence.RevisionEntity;
import io.ballast.controlplane.persistence.RevisionRepository;
import io.ballast.model.Certificate;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.snapshot.SnapshotChange;
import io.ballast.model.snapshot.SnapshotDiff;
import io.ballast.model.snapshot.SnapshotIndex;
import io.ballast.model.snapshot.SnapshotValidator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Records the configuration of the current transaction as a new revision, unless it hashes the same
 * as the latest one. Must run inside the writer's transaction, after {@link ConfigWriter} took the
 * advisory lock, so numbers are gap-free and in commit order. It is also the last gate every write
 * passes: the whole snapshot is validated and the safety rails compare it with the latest revision.
 *
 * <p>A write costs its change, not the whole config: the latest revision's snapshot is kept in memory
 * ({@link LiveSnapshot}, keyed by number and hash), the items the transaction touched
 * ({@link ConfigTouches}) are re-read and put into it, and only they are serialized again; the stored
 * snapshot is still the complete canonical JSON, byte for byte what a full read would give. When this
 * instance does not hold the latest revision (it just started, or another instance wrote it) it reads
 * that revision's snapshot from the database first; the first write after a start reads every row,
 * which also records a revision for rows changed behind the control plane's back. The row counts are
 * compared after every incremental build, and a mismatch falls back to a full read.
 */
@ApplicationScoped
public class RevisionRecorder {
    private static final Logger LOG = Logger.getLogger(RevisionRecorder.class);

    private final SnapshotReader reader;
    private final RevisionRepository revisions;
    private final SnapshotValidator validator;
    private final Event<PublishedSnapshot> published;
    private final CertificateKeys keys;
    private final LiveSnapshot live;
    private final ConfigTouches touches;

    RevisionRecorder(SnapshotReader reader, RevisionRepository revisions, SnapshotValidator validator,
                     Event<PublishedSnapshot> published, CertificateKeys keys, LiveSnapshot live, ConfigTouches touches) {
        this.keys = keys;
        this.reader = reader;
        this.revisions = revisions;
        this.validator = validator;
        this.published = published;
        this.live = live;
        this.touches = touches;
    }

    /**
     * @return the new revision, or empty when the configuration did not change
     * @throws io.ballast.model.validation.InvalidConfigException when the resulting snapshot is inconsistent
     * @throws UnsafeChangeException when a safety rail refuses the change and it is not forced
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Revision> record(Change change) {
        Optional<RevisionRepository.Head> latest = revisions.head();
        ConfigTouches.Touched touched = touches.drain();
        SnapshotIndex before = latest.map(this::base).orElse(SnapshotIndex.EMPTY);
        SnapshotIndex after = live.primed() ? incremental(before, touched) : null;
        if (after == null) {
            after = SnapshotIndex.of(reader.current());
        }
        ConfigSnapshot snapshot = after.snapshot();
        // Items the change did not touch are the latest revision's own objects, validated when it was recorded.
        validator.requireValid(snapshot, before::holds);
        String hash = after.hash();
        if (latest.isPresent() && latest.get().hash().equals(hash)) {
            return Optional.empty();
        }
        SnapshotChange changed = after.changesSince(before);
        // Rails and counts look only at what changed: what did not change adds nothing to either.
        ConfigSnapshot was = items(before, changed);
        ConfigSnapshot now = new ConfigSnapshot(changed.pools(), changed.routes(), changed.certificates());
        SafetyRails.check(was, now, change.force());
        SnapshotDiff.Summary summary = SnapshotDiff.between(was, now).summary();
        RevisionEntity row = new RevisionEntity();
        row.number = latest.map(r -> r.number() + 1).orElse(1L);
        row.createdAt = Instant.now();
        row.author = change.author();
        row.message = change.message();
        row.snapshotJson = after.canonicalJson();
        row.hash = hash;
        row.createdCount = summary.created();
        row.updatedCount = summary.updated();
        row.deletedCount = summary.deleted();
        revisions.persist(row);
        RevisionChannel.announce(revisions.getEntityManager(), row.number);
        // Remembered before the commit; a rollback leaves a guess that the next write sees is not the latest.
        live.remember(row.number, hash, after);
        published.fire(new PublishedSnapshot(row.number, hash, snapshot, keys.privateKeysFor(snapshot), after));
        LOG.infof("Revision %d recorded by %s (%s): %d created, %d updated, %d deleted", row.number, change.author(),
                hash.substring(0, 12), summary.created(), summary.updated(), summary.deleted());
        return Optional.of(new Revision(row.number, row.createdAt, row.author, row.message, row.hash, summary));
    }

    /** The latest revision's snapshot: from memory when this instance holds it, else from its row. */
    private SnapshotIndex base(RevisionRepository.Head head) {
        Optional<SnapshotIndex> known = live.at(head.number(), head.hash());
        if (known.isPresent()) {
            return known.get();
        }
        RevisionEntity row = revisions.findById(head.number());
        SnapshotIndex read = SnapshotIndex.of(ConfigSnapshot.fromJson(row.snapshotJson));
        LOG.debugf("Revision %d read from the database (not written through this instance)", head.number());
        live.rememberRead(head.number(), head.hash(), read);
        return read;
    }

    /** {@code before} with the touched items put as they stand; null when the row counts disagree (then read everything). */
    private SnapshotIndex incremental(SnapshotIndex before, ConfigTouches.Touched touched) {
        SnapshotIndex after = before.apply(reader.touched(touched));
        SnapshotReader.Counts counts = reader.counts();
        if (counts.pools() != after.poolCount() || counts.backends() != after.backendCount()
                || counts.routes() != after.routeCount() || counts.certificates() != after.certificateCount()) {
            LOG.warnf("The configuration rows (%s) differ from the latest revision with this write's changes"
                    + " (%d pools, %d backends, %d routes, %d certificates): reading every row", counts, after.poolCount(),
                    after.backendCount(), after.routeCount(), after.certificateCount());
            return null;
        }
        return after;
    }

    /** The items of {@code base} that {@code change} replaces or removes, as they were. */
    private static ConfigSnapshot items(SnapshotIndex base, SnapshotChange change) {
        List<Pool> pools = java.util.stream.Stream.concat(change.pools().stream().map(Pool::name), change.removedPools().stream())
                .map(base::pool).filter(Objects::nonNull).toList();
        List<Route> routes = java.util.stream.Stream.concat(change.routes().stream().map(Route::name), change.removedRoutes().stream())
                .map(base::route).filter(Objects::nonNull).toList();
        List<Certificate> certificates = java.util.stream.Stream.concat(change.certificates().stream().map(Certificate::name),
                change.removedCertificates().stream()).map(base::certificate).filter(Objects::nonNull).toList();
        return new ConfigSnapshot(pools, routes, certificates);
    }
}
