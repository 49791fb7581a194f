package io.ballast.controlplane.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code revisions}: immutable once written. The number is assigned under an advisory lock. */
@Entity
@Table(name = "revisions")
public class RevisionEntity extends PanacheEntityBase {
    @Id
    public Long number;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public String author;

    @Column(columnDefinition = "text")
    public String message;

    @Column(name = "snapshot_json", nullable = false, columnDefinition = "text")
    public String snapshotJson;

    @Column(nullable = false, columnDefinition = "bpchar(64)")
    public String hash;

    /** Resources created, updated, deleted against the revision before; null on rows older than V2. */
    @Column(name = "created_count")
    public Integer createdCount;

    @Column(name = "updated_count")
    public Integer updatedCount;

    @Column(name = "deleted_count")
    public Integer deletedCount;
}
