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

    /** The newest revision's number and hash, without reading its snapshot. */
    public Optional<Head> head() {
        List<?> rows = getEntityManager().createNativeQuery("SELECT number, hash FROM revisions ORDER BY number DESC LIMIT 1")
                .getResultList();
        return rows.stream().findFirst().map(r -> {
            Object[] cols = (Object[]) r;
            return new Head(((Number) cols[0]).longValue(), String.valueOf(cols[1]).trim());
        });
    }

    /** A revision's number and hash. */
    public record Head(long number, String hash) {
    }

    /** At most {@code limit} revisions numbered below {@code before} (null: from the newest). */
    public List<RevisionEntity> pageDescending(Long before, int limit) {
        return (before == null ? find("order by number desc") : find("number < ?1 order by number desc", before))
                .page(0, limit).list();
    }
}
