package io.ballast.controlplane.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code dataplanes}: what the control planes know about one proxy node. */
@Entity
@Table(name = "dataplanes")
public class DataPlaneEntity extends PanacheEntityBase {
    @Id
    @Column(name = "node_id")
    public String nodeId;

    public String hostname;

    public String version;

    /** JSON object of string labels. */
    @Column(nullable = false, columnDefinition = "text")
    public String labels;

    @Column(name = "applied_revision")
    public Long appliedRevision;

    @Column(name = "applied_hash", columnDefinition = "bpchar(64)")
    public String appliedHash;

    @Column(nullable = false)
    public boolean connected;

    @Column(name = "cp_instance")
    public String cpInstance;

    @Column(name = "first_seen", nullable = false)
    public Instant firstSeen;

    @Column(name = "last_seen", nullable = false)
    public Instant lastSeen;

    @Column(name = "connected_at")
    public Instant connectedAt;

    @Column(name = "last_ack_at")
    public Instant lastAckAt;

    @Column(name = "last_nack_revision")
    public Long lastNackRevision;

    @Column(name = "last_nack_at")
    public Instant lastNackAt;

    /** JSON array of {field, message} from the newest nack; null when the newest answer was an ack. */
    @Column(name = "last_errors", columnDefinition = "text")
    public String lastErrors;

    /** Why the last hello was refused (an unsupported version); null when it was accepted. */
    @Column(name = "refused_reason", columnDefinition = "text")
    public String refusedReason;

    @Column(name = "last_heartbeat_at")
    public Instant lastHeartbeatAt;

    /** JSON array of the newest ack's warnings (a failed cache write); null when it had none. */
    @Column(name = "ack_warnings", columnDefinition = "text")
    public String ackWarnings;
}
