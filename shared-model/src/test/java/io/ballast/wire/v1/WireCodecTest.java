package io.ballast.wire.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ballast.model.Backend;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.validation.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireCodecTest {

    @Test
    void everyMessageRoundTrips() {
        ConfigSnapshot config = new ConfigSnapshot(List.of(Pool.named("web").withBackends(List.of(Backend.of("127.0.0.1", 8081)))),
                List.of(Route.of("site", "web")));
        List<WireMessage> messages = List.of(
                new Hello("dp-1", "host-a", "0.1.0", Map.of("zone", "a"), 3L, "abc"),
                new SnapshotPush(4, config.hash(), config),
                new Ack(4, config.hash()),
                new Nack(4, "abc", List.of(new Violation("pools[0].name", "bad"))),
                new Heartbeat(4L, "abc", Map.of("web/b1", 2), Map.of("requests", 10L)),
                new Heartbeat(4L, "abc", Map.of("web/b1", 0), Map.of("requests", 10L),
                        Map.of("web", new Heartbeat.Latency(10, 1.5, 9.25), "web/b1", new Heartbeat.Latency(3, 0.5, 2))),
                new HealthReport(List.of(new HealthReport.Observation("web", "b1", "draining", "draining", 6, 0))),
                new Heartbeat(4L, "abc", Map.of(), Map.of(), Map.of(), new RequestLatency(List.of(1.0, 10.0), List.of(5L, 3L, 1L))),
                new Ping(123),
                new Heartbeat(4L, "abc", Map.of(), Map.of(), Map.of(), null, Map.of("web/b1", 3), Map.of("web", 1),
                        Map.of("web/b1", new Heartbeat.Probe(7, true, 200, null), "web/b2", new Heartbeat.Probe(8, false, null, "Timeout"))),
                new HealthReport(List.of(new HealthReport.Observation("web", "b1", "unhealthy", "unhealthy:Timeout", 5))),
                new Heartbeat(4L, "abc", Map.of(), Map.of("requests", 12L), Map.of(), null, null, null, null,
                        Map.of("web", new Heartbeat.TargetCounters(12, 1, 300, 4000), "web/b1", new Heartbeat.TargetCounters(7, 0, 100, 2000))));
        for (WireMessage message : messages) {
            assertThat(WireCodec.decode(WireCodec.encode(message))).isEqualTo(message);
        }
    }

    @Test
    void aHeartbeatWithoutDurationsHasNoDurationsField() {
        assertThat(WireCodec.encode(new Heartbeat(1L, "h", Map.of(), Map.of()))).doesNotContain("durations");
        assertThat(WireCodec.decode("{\"type\":\"heartbeat\",\"appliedRevision\":1}")).isEqualTo(new Heartbeat(1L, null, Map.of(), Map.of()));
    }

    @Test
    void typeIsWrittenAsTheWireName() {
        assertThat(WireCodec.encode(new Ack(1, "h"))).contains("\"type\":\"ack\"");
        assertThat(WireCodec.encode(new SnapshotPush(1, "h", ConfigSnapshot.EMPTY))).contains("\"type\":\"snapshot\"");
    }

    @Test
    void unknownTypesAndFieldsAreTolerated() {
        assertThat(WireCodec.decode("{\"type\":\"gossip\",\"x\":1}")).isEqualTo(new UnknownMessage("gossip"));
        assertThat(WireCodec.decode("{\"type\":\"ack\",\"revision\":2,\"hash\":\"h\",\"future\":true}")).isEqualTo(new Ack(2, "h"));
    }

    @Test
    void latencyAndInFlightAtReportAreOptionalAdditionsToV1() {
        // What a data plane of 0.1.0 sends: no latency, no in-flight count in observations.
        Heartbeat old = (Heartbeat) WireCodec.decode("{\"type\":\"heartbeat\",\"appliedRevision\":3,\"inFlight\":{},\"counters\":{}}");
        assertThat(old.latency()).isEmpty();
        HealthReport report = (HealthReport) WireCodec.decode(
                "{\"type\":\"health\",\"observations\":[{\"pool\":\"p\",\"backend\":\"b\",\"state\":\"draining\",\"at\":1}]}");
        assertThat(report.observations().get(0).inFlight()).isNull();
        String encoded = WireCodec.encode(new Heartbeat(1L, "h", Map.of(), Map.of(), Map.of("web", new Heartbeat.Latency(2, 1, 3))));
        assertThat(encoded).contains("\"latency\":{\"web\":{\"count\":2,\"p50Ms\":1.0,\"p99Ms\":3.0}}");
    }

    @Test
    void targetCountersAreTypedAndTheStringKeysOfOlderDataPlanesStillRead() {
        Heartbeat typed = (Heartbeat) WireCodec.decode("""
                {"type":"heartbeat","appliedRevision":3,"counters":{"requests":5},
                 "targets":{"web":{"requests":5,"responses5xx":1,"bytesIn":10,"bytesOut":200}}}""");
        assertThat(typed.targetCounters()).containsExactlyEntriesOf(Map.of("web", new Heartbeat.TargetCounters(5, 1, 10, 200)));
        // What a data plane before 0.2 sends: the same figures as string-keyed counters, beside the global ones.
        Heartbeat old = (Heartbeat) WireCodec.decode("""
                {"type":"heartbeat","appliedRevision":3,"counters":{"requests":9,"responses5xx":2,"requests:web":5,
                 "responses5xx:web":1,"bytesIn:web":10,"bytesOut:web":200,"requests:web/a":4,"bytesOut:web/a":150}}""");
        assertThat(old.targets()).isNull();
        assertThat(old.targetCounters()).containsOnly(
                Map.entry("web", new Heartbeat.TargetCounters(5, 1, 10, 200)),
                Map.entry("web/a", new Heartbeat.TargetCounters(4, 0, 0, 150)));
        // Without either, no targets (not an error).
        assertThat(((Heartbeat) WireCodec.decode("{\"type\":\"heartbeat\",\"appliedRevision\":1}")).targetCounters()).isEmpty();
    }

    @Test
    void connectionsQueuesAndProbesAreOptionalAdditionsToV1() {
        // What a data plane before 0.2 sends: the control plane reads "unknown", not zero.
        Heartbeat old = (Heartbeat) WireCodec.decode("{\"type\":\"heartbeat\",\"appliedRevision\":3,\"inFlight\":{},\"counters\":{}}");
        assertThat(old.connections()).isNull();
        assertThat(old.queued()).isNull();
        assertThat(old.probes()).isNull();
        String encoded = WireCodec.encode(new Heartbeat(1L, "h", Map.of(), Map.of(), Map.of(), null, Map.of("web/b1", 2), Map.of("web", 0),
                Map.of("web/b1", new Heartbeat.Probe(5, false, 503, "ResponseCodeMismatch"))));
        assertThat(encoded).contains("\"connections\":{\"web/b1\":2}").contains("\"queued\":{\"web\":0}")
                .contains("\"probes\":{\"web/b1\":{\"at\":5,\"passed\":false,\"status\":503,\"failure\":\"ResponseCodeMismatch\"}}");
        assertThat(WireCodec.encode(new Heartbeat(1L, "h", Map.of(), Map.of()))).doesNotContain("connections").doesNotContain("probes");
    }

    @Test
    void garbageIsAFormatError() {
        for (String bad : new String[] {"not json", "[]", "{}", "{\"type\":3}", "{\"type\":\"ack\",\"revision\":\"x\"}"}) {
            assertThatThrownBy(() -> WireCodec.decode(bad)).as(bad).isInstanceOf(WireCodec.WireFormatException.class);
        }
    }
}
