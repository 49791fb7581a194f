package io.ballast.controlplane.api;

import io.ballast.controlplane.config.DeclarativeConfig;
import io.ballast.model.snapshot.SnapshotDiff;
import java.util.List;

/**
 * The answer to {@code PUT /config} and {@code POST /revisions/{n}/rollback}.
 *
 * @param dryRun   true when nothing was written
 * @param revision the revision in effect afterwards (dry run: the one the plan was made against)
 * @param changed  true when this request recorded {@code revision}; for a dry run, true when applying
 *                 would record one (the plan lists changes), so a script can test one field either way
 * @param summary  counts of created, updated and deleted resources
 * @param changes  per resource, with field-level before/after
 */
public record ApplyAnswer(boolean dryRun, long revision, boolean changed, SnapshotDiff.Summary summary,
                          List<SnapshotDiff.ResourceChange> changes) {

    static ApplyAnswer of(DeclarativeConfig.Applied applied) {
        return new ApplyAnswer(applied.dryRun(), applied.revision(),
                applied.dryRun() ? !applied.diff().changes().isEmpty() : applied.recorded(), applied.diff().summary(),
                applied.diff().changes());
    }
}
