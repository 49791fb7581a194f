package io.ballast.controlplane.rollout;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code rollouts}. Never leaves this package: the API gets {@link Rollout}. */
@Entity
@Table(name = "rollouts")
public class RolloutEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public long revision;

    @Column(name = "base_revision", nullable = false)
    public long baseRevision;

    @Column(nullable = false)
    public String state;

    @Column(nullable = false)
    public String cohort;

    @Column(name = "bake_time_ms", nullable = false)
    public long bakeTimeMs;

    @Column(name = "abort_on_nack", nullable = false)
    public boolean abortOnNack;

    @Column(name = "error_rate_increase", nullable = false)
    public double errorRateIncrease;

    @Column(name = "p99_increase", nullable = false)
    public double p99Increase;

    @Column(name = "auto_promote", nullable = false)
    public boolean autoPromote;

    @Column(nullable = false)
    public String author;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "bake_ends_at", nullable = false)
    public Instant bakeEndsAt;

    @Column(name = "ended_at")
    public Instant endedAt;

    @Column(name = "ended_by")
    public String endedBy;

    @Column(columnDefinition = "text")
    public String reason;

    @Column(name = "abort_revision")
    public Long abortRevision;

    public String owner;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(columnDefinition = "text")
    public String readings;
}
