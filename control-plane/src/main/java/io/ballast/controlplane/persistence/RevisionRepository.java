package io.ballast.controlplane.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Revisions, newest first. */
@ApplicationScoped
public class RevisionRepository implements PanacheRepositoryBase<RevisionEntity, Long> {

    public Optional<RevisionEntity> latest() {
        return find("order by number desc").firstResultOptional();
    }

    /** At most {@code limit} revisions numbered below {@code before} (null: from the newest). */
    public List<RevisionEntity> pageDescending(Long before, int limit) {
        return (before == null ? find("order by number desc") : find("number < ?1 order by number desc", before))
                .page(0, limit).list();
    }
}
