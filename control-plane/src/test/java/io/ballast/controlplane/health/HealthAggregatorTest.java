package io.ballast.controlplane.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthAggregatorTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static HealthAggregator.Observed seen(String state, int secondsAfterT) {
        return new HealthAggregator.Observed(state, state, T, T.plusSeconds(secondsAfterT));
    }

    @Test
    void anEnabledBackendCountsTheDataPlanesThatFindItHealthy() {
        BackendHealth h = HealthAggregator.aggregate("web", "b", "enabled", List.of("n1", "n2", "n3"),
                Map.of("n1", seen("healthy", 0), "n2", seen("healthy", 0), "n3", seen("unhealthy", 0)), Map.of());
        assertThat(h.state()).isEqualTo("degraded");
        assertThat(h.summary()).isEqualTo("healthy on 2 of 3 data planes");
        assertThat(h.nodes()).extracting(NodeHealth::state).containsExactly("healthy", "healthy", "unhealthy");
    }

    @Test
    void aDrainIsConfirmedOnlyByZeroCountsReceivedAfterEveryDataPlaneReportedIt() {
        List<String> nodes = List.of("n1", "n2");
        Map<String, HealthAggregator.Observed> draining = Map.of("n1", seen("draining", 10), "n2", seen("draining", 10));
        BackendHealth stale = HealthAggregator.aggregate("web", "b", "draining", nodes, draining,
                Map.of("n1", new HealthAggregator.InFlight(0, T.plusSeconds(5)), "n2", new HealthAggregator.InFlight(0, T.plusSeconds(11))));
        assertThat(stale.state()).as("n1's zero predates its draining report").isEqualTo("draining");

        BackendHealth busy = HealthAggregator.aggregate("web", "b", "draining", nodes, draining,
                Map.of("n1", new HealthAggregator.InFlight(3, T.plusSeconds(12)), "n2", new HealthAggregator.InFlight(0, T.plusSeconds(11))));
        assertThat(busy.summary()).isEqualTo("draining (3 in flight)");

        BackendHealth notYet = HealthAggregator.aggregate("web", "b", "draining", nodes, Map.of("n1", seen("draining", 10)),
                Map.of("n1", new HealthAggregator.InFlight(0, T.plusSeconds(12))));
        assertThat(notYet.state()).as("n2 has not reported the drain").isEqualTo("draining");

        BackendHealth done = HealthAggregator.aggregate("web", "b", "draining", nodes, draining,
                Map.of("n1", new HealthAggregator.InFlight(0, T.plusSeconds(12)), "n2", new HealthAggregator.InFlight(0, T.plusSeconds(11))));
        assertThat(done.state()).isEqualTo("drained");
        assertThat(done.inFlight()).isZero();
    }

    @Test
    void aDrainReportThatCountsNothingInFlightConfirmsItWithoutWaitingForAHeartbeat() {
        List<String> nodes = List.of("n1", "n2");
        HealthAggregator.Observed idle = new HealthAggregator.Observed("draining", "draining", T, T.plusSeconds(10), 0);
        HealthAggregator.Observed busy = new HealthAggregator.Observed("draining", "draining", T, T.plusSeconds(10), 2);
        Map<String, HealthAggregator.InFlight> oldBeats = Map.of("n1", new HealthAggregator.InFlight(4, T.plusSeconds(5)),
                "n2", new HealthAggregator.InFlight(4, T.plusSeconds(5)));
        BackendHealth done = HealthAggregator.aggregate("web", "b", "draining", nodes, Map.of("n1", idle, "n2", idle), oldBeats);
        assertThat(done.state()).as("the reports' zeros are newer than the heartbeats' fours").isEqualTo("drained");
        assertThat(done.inFlight()).isZero();

        BackendHealth oneBusy = HealthAggregator.aggregate("web", "b", "draining", nodes, Map.of("n1", idle, "n2", busy), oldBeats);
        assertThat(oneBusy.summary()).isEqualTo("draining (2 in flight)");
        BackendHealth finished = HealthAggregator.aggregate("web", "b", "draining", nodes, Map.of("n1", idle, "n2", busy),
                Map.of("n2", new HealthAggregator.InFlight(0, T.plusSeconds(12))));
        assertThat(finished.state()).as("n2's later heartbeat counts zero").isEqualTo("drained");

        BackendHealth enabledAgain = HealthAggregator.aggregate("web", "b", "draining", nodes,
                Map.of("n1", idle, "n2", new HealthAggregator.Observed("healthy", "healthy", T, T.plusSeconds(10), 0)), Map.of());
        assertThat(enabledAgain.state()).as("n2 has not applied the drain").isEqualTo("draining");
    }

    @Test
    void aBackendLeftOutOfALaterHeartbeatHadNothingInFlight() {
        List<String> nodes = List.of("n1");
        // The report counted 3 in flight; the heartbeat after it lists only busy backends, and not this one.
        Map<String, HealthAggregator.Observed> busyAtReport = Map.of("n1",
                new HealthAggregator.Observed("healthy", "healthy", T, T.plusSeconds(10), 3));
        BackendHealth beforeAnyHeartbeat = HealthAggregator.aggregate("web", "b", "enabled", nodes, busyAtReport, Map.of(), Map.of());
        assertThat(beforeAnyHeartbeat.inFlight()).isEqualTo(3);
        BackendHealth afterOne = HealthAggregator.aggregate("web", "b", "enabled", nodes, busyAtReport, Map.of(),
                Map.of("n1", T.plusSeconds(15)));
        assertThat(afterOne.inFlight()).isZero();
        // A heartbeat older than the report says nothing about after it.
        BackendHealth olderBeat = HealthAggregator.aggregate("web", "b", "enabled", nodes, busyAtReport, Map.of(),
                Map.of("n1", T.plusSeconds(5)));
        assertThat(olderBeat.inFlight()).isEqualTo(3);
    }
}
