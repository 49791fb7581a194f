package io.ballast.controlplane.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.wire.v1.Heartbeat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencySamplesTest {
    private Instant now = Instant.parse("2026-01-01T12:00:00Z");
    private final Clock clock = new Clock() {
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
    };
    private final LatencySamples samples = new LatencySamples(clock);

    private static Heartbeat beat(String target, long count, double p50, double p99) {
        return new Heartbeat(1L, "h", Map.of(), Map.of(), Map.of(target, new Heartbeat.Latency(count, p50, p99)));
    }

    @Test
    void perNodeAndFleetWideOverAWindowWeightedByRequests() {
        samples.record("canary", beat("web", 10, 5, 50));
        samples.record("stable-1", beat("web", 90, 1, 10));
        now = now.plusSeconds(5);
        samples.record("stable-1", beat("web", 10, 1, 20));

        assertThat(samples.node("canary", "web", Duration.ofMinutes(1))).contains(new Heartbeat.Latency(10, 5, 50));
        assertThat(samples.node("stable-1", "web", Duration.ofMinutes(1))).contains(new Heartbeat.Latency(100, 1, 11));
        assertThat(samples.byNode("web", Duration.ofMinutes(1))).containsOnlyKeys("canary", "stable-1");
        assertThat(samples.fleet("web", Duration.ofMinutes(1))).contains(new Heartbeat.Latency(110, 1.364, 14.545));
        assertThat(samples.node("stable-1", "web", Duration.ofSeconds(3))).as("only the newer sample")
                .contains(new Heartbeat.Latency(10, 1, 20));
        assertThat(samples.fleet("other", Duration.ofMinutes(1))).isEmpty();
    }

    @Test
    void samplesOlderThanWhatIsKeptAreForgotten() {
        samples.record("dp", beat("web", 10, 5, 50));
        now = now.plus(LatencySamples.KEPT).plusSeconds(1);
        samples.record("dp", new Heartbeat(1L, "h", Map.of(), Map.of()));
        assertThat(samples.node("dp", "web", LatencySamples.KEPT.multipliedBy(2))).isEmpty();
        assertThat(samples.byNode("web", LatencySamples.KEPT.multipliedBy(2))).isEmpty();
    }
}
