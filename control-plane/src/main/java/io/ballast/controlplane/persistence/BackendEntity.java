package io.ballast.controlplane.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A row of {@code backends}; {@code poolId} is a plain column so loading a backend never loads its pool. */
@Entity
@Table(name = "backends")
public class BackendEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

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
}
