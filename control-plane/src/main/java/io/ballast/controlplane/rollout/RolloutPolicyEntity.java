package io.ballast.controlplane.rollout;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The one row of {@code rollout_policy}. */
@Entity
@Table(name = "rollout_policy")
public class RolloutPolicyEntity extends PanacheEntityBase {
    @Id
    public Integer id;

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

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "updated_by")
    public String updatedBy;
}
