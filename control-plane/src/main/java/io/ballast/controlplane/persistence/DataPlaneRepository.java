package io.ballast.controlplane.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** The data-plane registry rows. */
@ApplicationScoped
public class DataPlaneRepository implements PanacheRepositoryBase<DataPlaneEntity, String> {
}
