package io.ballast.controlplane.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/**
 * A row of {@code routes}. {@code poolName} duplicates the settings' pool so the database can guard it; null for a
 * route that answers itself (redirect, fixed response).
 */
@Entity
@Table(name = "routes")
public class RouteEntity extends VersionedEntity {
    @Column(nullable = false, unique = true, length = 63)
    public String name;

    @Column(name = "pool_name")
    public String poolName;

    /** Every {@code Route} field, as JSON. */
    @Column(nullable = false, columnDefinition = "text")
    public String settings;

    @Override
    protected void touched(ConfigTouches touches) {
        touches.route(name);
    }
}
