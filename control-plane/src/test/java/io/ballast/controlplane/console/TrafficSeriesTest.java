package io.ballast.controlplane.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.wire.v1.Heartbeat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficSeriesTest {
    /** A clock the test moves by hand. */
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
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final TrafficSeries series = new TrafficSeries(clock);

    private static Heartbeat beat(long poolRequests, long pool5xx, long aRequests, long a5xx, int aInFlight) {
        return withTargets(Map.of("web/a", aInFlight), Map.of(
                "web", new Heartbeat.TargetCounters(poolRequests, pool5xx, 0, 0),
                "web/a", new Heartbeat.TargetCounters(aRequests, a5xx, 0, 0)));
    }

    private static Heartbeat withTargets(Map<String, Integer> inFlight, Map<String, Heartbeat.TargetCounters> targets) {
        return new Heartbeat(1L, "h", inFlight, Map.of("requests", 1000L), Map.of(), null, null, null, null, targets);
    }

    /** The same figures as a data plane before 0.2 sends them: string-keyed counters. */
    private static Heartbeat legacyBeat(long poolRequests, long pool5xx, long aRequests, long a5xx) {
        return new Heartbeat(1L, "h", Map.of(), Map.of(
                "requests", poolRequests + 1000, "requests:web", poolRequests, "responses5xx:web", pool5xx,
                "requests:web/a", aRequests, "responses5xx:web/a", a5xx));
    }

    @Test
    void countersOfDataPlanesBefore02StillBecomeRates() {
        series.record("old", legacyBeat(500, 10, 400, 5));
        clock.advance(Duration.ofSeconds(5));
        series.record("old", legacyBeat(600, 30, 480, 25));
        clock.advance(Duration.ofSeconds(10));
        TrafficSeries.PoolTraffic traffic = series.pool("web");
        assertThat(traffic.points().get(89).requestsPerSecond()).isEqualTo(10.0);
        assertThat(traffic.points().get(89).errorsPerSecond()).isEqualTo(2.0);
        assertThat(traffic.backends().get("a").requestsPerSecond()).isEqualTo(8.0);
    }

    @Test
    void turnsCounterTotalsIntoRatesPerTenSecondBucket() {
        series.record("dp1", beat(500, 10, 400, 5, 0));
        clock.advance(Duration.ofSeconds(5));
        series.record("dp1", beat(600, 30, 480, 25, 2));
        clock.advance(Duration.ofSeconds(10));

        TrafficSeries.PoolTraffic traffic = series.pool("web");
        assertThat(traffic.bucketSeconds()).isEqualTo(10);
        assertThat(traffic.points()).hasSize(90);
        TrafficSeries.Point last = traffic.points().get(89);
        // The first heartbeat is only a baseline; the second adds 100 requests and 20 errors in one bucket.
        assertThat(last.requestsPerSecond()).isEqualTo(10.0);
        assertThat(last.errorsPerSecond()).isEqualTo(2.0);
        assertThat(traffic.points().subList(0, 89)).allSatisfy(p -> assertThat(p.requestsPerSecond()).isZero());
        assertThat(traffic.backends().get("a")).isEqualTo(new TrafficSeries.BackendTraffic(8.0, 2.0, 2));
    }

    @Test
    void sumsNodesAndTreatsASmallerTotalAsARestart() {
        series.record("dp1", beat(100, 0, 100, 0, 1));
        series.record("dp2", beat(100, 0, 100, 0, 3));
        clock.advance(Duration.ofSeconds(5));
        series.record("dp1", beat(150, 0, 150, 0, 1));
        // dp2 restarted: its counters start again from zero, so 20 is 20 new requests.
        series.record("dp2", beat(20, 0, 20, 0, 3));
        clock.advance(Duration.ofSeconds(10));

        TrafficSeries.FleetTraffic fleet = series.fleet();
        assertThat(fleet.pools().get("web").requestsPerSecond()).isEqualTo(7.0);
        assertThat(fleet.pools().get("web").inFlight()).isEqualTo(4);
        assertThat(fleet.points().get(89).requestsPerSecond()).isEqualTo(7.0);
    }

    @Test
    void aHeartbeatAfterASilenceOnlySetsABaseline() {
        series.record("dp1", beat(100, 0, 100, 0, 0));
        clock.advance(Duration.ofMinutes(2));
        series.record("dp1", beat(10_100, 0, 10_100, 0, 0));
        clock.advance(Duration.ofSeconds(10));

        assertThat(series.pool("web").points()).allSatisfy(p -> assertThat(p.requestsPerSecond()).isZero());
    }

    @Test
    void forgetsWhatIsOlderThanFifteenMinutesAndStaleInFlight() {
        series.record("dp1", beat(0, 0, 0, 0, 5));
        clock.advance(Duration.ofSeconds(5));
        series.record("dp1", beat(100, 0, 100, 0, 5));
        clock.advance(Duration.ofSeconds(10));
        assertThat(series.pool("web").points().get(89).requestsPerSecond()).isEqualTo(10.0);

        clock.advance(Duration.ofMinutes(16));
        TrafficSeries.PoolTraffic later = series.pool("web");
        assertThat(later.points()).allSatisfy(p -> assertThat(p.requestsPerSecond()).isZero());
        assertThat(later.backends()).isEmpty();
    }

    @Test
    void poolsAndBackendsCarryTheLastMinutesLatencyFromHeartbeats() {
        series.record("dp1", new Heartbeat(1L, "h", Map.of("web/a", 0), Map.of(),
                Map.of("web", new Heartbeat.Latency(100, 2, 10), "web/a", new Heartbeat.Latency(100, 1, 8))));
        series.record("dp2", new Heartbeat(1L, "h", Map.of("web/a", 0), Map.of(),
                Map.of("web", new Heartbeat.Latency(300, 4, 20))));
        TrafficSeries.PoolTraffic traffic = series.pool("web");
        assertThat(traffic.latency()).isEqualTo(new TrafficSeries.Latency(400, 3.5, 17.5));
        assertThat(traffic.backends().get("a").p50Ms()).isEqualTo(1.0);
        assertThat(traffic.backends().get("a").p99Ms()).isEqualTo(8.0);
        assertThat(series.fleet().pools().get("web").p99Ms()).isEqualTo(17.5);

        clock.advance(TrafficSeries.LATENCY_WINDOW.plusSeconds(1));
        assertThat(series.pool("web").latency()).as("older than the window").isNull();
    }

    @Test
    void bytesEachWayBecomeRatesPerPoolAndBackend() {
        series.record("dp1", withTargets(Map.of(), Map.of("web", new Heartbeat.TargetCounters(0, 0, 1_000, 10_000),
                "web/a", new Heartbeat.TargetCounters(0, 0, 1_000, 10_000))));
        clock.advance(Duration.ofSeconds(5));
        series.record("dp1", withTargets(Map.of(), Map.of("web", new Heartbeat.TargetCounters(0, 0, 21_000, 410_000),
                "web/a", new Heartbeat.TargetCounters(0, 0, 11_000, 210_000))));
        clock.advance(Duration.ofSeconds(10));
        TrafficSeries.PoolTraffic traffic = series.pool("web");
        assertThat(traffic.bytesInPerSecond()).isEqualTo(2_000.0);
        assertThat(traffic.bytesOutPerSecond()).isEqualTo(40_000.0);
        assertThat(traffic.backends().get("a").bytesInPerSecond()).isEqualTo(1_000.0);
        assertThat(traffic.backends().get("a").bytesOutPerSecond()).isEqualTo(20_000.0);
    }
}
