package io.ballast.controlplane.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A row of {@code pools}. Not thread-safe; lives inside one transaction. */
@Entity
@Table(name = "pools")
public class PoolEntity extends VersionedEntity {
    @Column(nullable = false, unique = true, length = 63)
    public String name;

    /** Every {@code Pool} field except name and backends, as JSON. */
    @Column(nullable = false, columnDefinition = "text")
    public String settings;

    @Override
    protected void touched(ConfigTouches touches) {
        touches.pool(name);
    }
}
