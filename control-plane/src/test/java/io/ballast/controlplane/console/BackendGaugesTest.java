package io.ballast.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.wire.v1.Heartbeat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendGaugesTest {
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final BackendGauges gauges = new BackendGauges(clock);

    private static Heartbeat beat(Map<String, Integer> connections, Map<String, Integer> queued, Map<String, Heartbeat.Probe> probes) {
        return new Heartbeat(1L, "h", Map.of(), Map.of(), Map.of(), null, connections, queued, probes);
    }

    @Test
    void anOlderDataPlaneAloneMakesTheFiguresUnknownNotZero() {
        gauges.record("old", new Heartbeat(1L, "h", Map.of("web/a", 2), Map.of()));
        BackendGauges.PoolGauges web = gauges.pool("web");
        assertThat(web.connections()).isNull();
        assertThat(web.queued()).isNull();
        assertThat(web.lastChecks()).isEmpty();
    }

    @Test
    void connectionsAndQueuesAddUpOverFreshDataPlanesAndAnAbsentBackendHasNone() {
        gauges.record("dp-1", beat(Map.of("web/a", 2, "api/x", 9), Map.of("web", 1), Map.of()));
        gauges.record("dp-2", beat(Map.of("web/a", 3), Map.of(), Map.of()));
        gauges.record("old", new Heartbeat(1L, "h", Map.of(), Map.of()));
        BackendGauges.PoolGauges web = gauges.pool("web");
        assertThat(web.connections()).containsExactlyEntriesOf(Map.of("a", 5));
        assertThat(web.queued()).isEqualTo(1);
        // A data plane silent for longer than 30 s no longer counts.
        clock.advance(Duration.ofSeconds(20));
        gauges.record("dp-2", beat(Map.of("web/a", 1), Map.of("web", 4), Map.of()));
        clock.advance(Duration.ofSeconds(15));
        web = gauges.pool("web");
        assertThat(web.connections()).containsExactlyEntriesOf(Map.of("a", 1));
        assertThat(web.queued()).isEqualTo(4);
    }

    @Test
    void theLatestCheckOverEveryDataPlaneIsShownWithEachOnesOwn() {
        long t = clock.instant().toEpochMilli();
        gauges.record("dp-1", beat(Map.of(), Map.of(), Map.of("web/a", new Heartbeat.Probe(t - 3_000, true, 200, null))));
        gauges.record("dp-2", beat(Map.of(), Map.of(), Map.of("web/a", new Heartbeat.Probe(t - 1_000, false, null, "Timeout"))));
        // A heartbeat without a new probe keeps the one reported before.
        gauges.record("dp-1", beat(Map.of(), Map.of(), Map.of()));
        BackendGauges.LastCheck a = gauges.pool("web").lastChecks().get("a");
        assertThat(a.nodeId()).isEqualTo("dp-2");
        assertThat(a.passed()).isFalse();
        assertThat(a.failure()).isEqualTo("Timeout");
        assertThat(a.at()).isEqualTo(Instant.ofEpochMilli(t - 1_000));
        assertThat(a.nodes()).extracting(BackendGauges.NodeCheck::nodeId).containsExactly("dp-2", "dp-1");
        assertThat(a.nodes().get(1).status()).isEqualTo(200);

        gauges.record("dp-1", beat(Map.of(), Map.of(), Map.of("web/a", new Heartbeat.Probe(t, true, 200, null))));
        assertThat(gauges.pool("web").lastChecks().get("a").nodeId()).isEqualTo("dp-1");
        assertThat(gauges.pool("other").lastChecks()).isEmpty();
    }
}
