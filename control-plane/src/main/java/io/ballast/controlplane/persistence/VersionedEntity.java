package io.ballast.controlplane.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PostPersist;
import jakarta.persistence.PostRemove;
import jakarta.persistence.PostUpdate;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Version;
import java.time.Instant;

/**
 * What every configuration row has: a surrogate key, a version for optimistic locking (and, later,
 * the resource's ETag for If-Match), and creation and update times.
 */
@MappedSuperclass
public abstract class VersionedEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Version
    public long version;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @PrePersist
    void onCreate() {
        createdAt = Instant.now();
        updatedAt = createdAt;
    }

    @PreUpdate
    void onUpdate() {
        updatedAt = Instant.now();
    }

    /** After the row was inserted, updated or deleted: tells the transaction's {@link ConfigTouches}. */
    @PostPersist
    @PostUpdate
    @PostRemove
    void afterWrite() {
        touched(ConfigTouches.current());
    }

    /** Reports which configuration item this row belongs to. */
    protected abstract void touched(ConfigTouches touches);
}
