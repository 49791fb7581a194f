package io.ballast.wire.v1;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** One frame of wire protocol v1. The JSON property {@code type} names the record. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = SnapshotPush.class, name = "snapshot"),
    @JsonSubTypes.Type(value = Ack.class, name = "ack"),
    @JsonSubTypes.Type(value = Nack.class, name = "nack"),
    @JsonSubTypes.Type(value = Heartbeat.class, name = "heartbeat"),
    @JsonSubTypes.Type(value = Ping.class, name = "ping"),
    @JsonSubTypes.Type(value = HealthReport.class, name = "health"),
    @JsonSubTypes.Type(value = SnapshotDelta.class, name = "delta"),
    @JsonSubTypes.Type(value = Resync.class, name = "resync"),
    @JsonSubTypes.Type(value = RateLimitShare.class, name = "rate-limit-share"),
    @JsonSubTypes.Type(value = ProbeAssignment.class, name = "probe-assignment"),
    @JsonSubTypes.Type(value = ProbeVerdicts.class, name = "probe-verdicts"),
})
public sealed interface WireMessage permits Hello, SnapshotPush, Ack, Nack, Heartbeat, Ping, HealthReport, SnapshotDelta, Resync,
        RateLimitShare, ProbeAssignment, ProbeVerdicts, UnknownMessage {
}
