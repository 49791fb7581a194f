package io.ballast.controlplane.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code tokens}. The secret itself is never stored, only its salted slow hash. */
@Entity
@Table(name = "tokens")
public class TokenEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true)
    public String name;

    @Column(nullable = false)
    public String role;

    @Column(name = "lookup_key", nullable = false, columnDefinition = "bpchar(16)")
    public String lookupKey;

    @Column(name = "secret_hash", nullable = false)
    public String secretHash;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    /** The token that created this one; null for tokens the control plane provisioned itself. */
    @Column(name = "created_by")
    public String createdBy;
}
