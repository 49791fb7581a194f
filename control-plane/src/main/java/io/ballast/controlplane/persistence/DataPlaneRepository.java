package io.ballast.controlplane.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** The data-plane registry rows. */
@ApplicationScoped
public class DataPlaneRepository implements PanacheRepositoryBase<DataPlaneEntity, String> {

    /** Nodes connected now or seen since {@code since}, by node id. */
    public List<DataPlaneEntity> connectedOrSeenSince(Instant since) {
        return list("connected = true or lastSeen >= ?1 order by nodeId", since);
    }
}
