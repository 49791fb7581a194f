package io.ballast.controlplane.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A row of {@code backends}; {@code poolId} is a plain column so loading a backend never loads its pool. */
@Entity
@Table(name = "backends")
public class BackendEntity extends VersionedEntity {
    @Column(name = "pool_id", nullable = false)
    public Long poolId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String host;

    @Column(nullable = false)
    public int port;

    @Column(nullable = false)
    public int weight;

    /** The wire name of {@code AdminState}: enabled, draining or disabled. */
    @Column(name = "admin_state", nullable = false)
    public String adminState;

    /** JSON object of string labels. */
    @Column(nullable = false, columnDefinition = "text")
    public String labels;

    @Override
    protected void touched(ConfigTouches touches) {
        touches.poolId(poolId);
    }
}
