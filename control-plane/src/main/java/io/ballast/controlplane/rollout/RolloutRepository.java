package io.ballast.controlplane.rollout;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;

/** Rollouts, newest first. */
@ApplicationScoped
public class RolloutRepository implements PanacheRepositoryBase<RolloutEntity, Long> {

    /** The rollout baking now (there is at most one). */
    public Optional<RolloutEntity> baking() {
        return find("state", RolloutStates.BAKING).firstResultOptional();
    }

    /** The baking rollout, locked for the rest of the transaction. */
    public Optional<RolloutEntity> bakingForUpdate() {
        return find("state", RolloutStates.BAKING).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    public Optional<RolloutEntity> findForUpdate(long id) {
        return Optional.ofNullable(findById(id, LockModeType.PESSIMISTIC_WRITE));
    }

    /** At most {@code limit} rollouts numbered below {@code before} (null: from the newest). */
    public List<RolloutEntity> pageDescending(Long before, int limit) {
        return (before == null ? find("order by id desc") : find("id < ?1 order by id desc", before)).page(0, limit).list();
    }
}
