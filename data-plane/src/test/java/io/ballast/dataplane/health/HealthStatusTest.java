package io.ballast.dataplane.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HealthStatusTest {
    private static final ProbeOutcome PASS = ProbeOutcome.PASS;
    private static final ProbeOutcome REFUSED = ProbeOutcome.fail("ConnectionRefused");
    private final AtomicLong changes = new AtomicLong();

    private HealthStatus status(HealthState initial) {
        return new HealthStatus(initial, changes, () -> 42L);
    }

    @Test
    void initialBecomesHealthyOnItsFirstPass() {
        HealthStatus s = status(HealthState.INITIAL);
        assertThat(s.inTransition()).isTrue();
        HealthTransition t = s.record(PASS, 2, 3);
        assertThat(t).isEqualTo(new HealthTransition(HealthState.INITIAL, HealthState.HEALTHY, "healthy", 42L));
        assertThat(s.state()).isEqualTo(HealthState.HEALTHY);
        assertThat(changes.get()).isEqualTo(1);
    }

    @Test
    void initialBecomesUnhealthyAfterUnhealthyThresholdFailures() {
        HealthStatus s = status(HealthState.INITIAL);
        assertThat(s.record(REFUSED, 2, 3)).isNull();
        assertThat(s.record(REFUSED, 2, 3)).isNull();
        assertThat(s.state()).isEqualTo(HealthState.INITIAL);
        HealthTransition t = s.record(REFUSED, 2, 3);
        assertThat(t.to()).isEqualTo(HealthState.UNHEALTHY);
        assertThat(t.reason()).isEqualTo("unhealthy:ConnectionRefused");
    }

    @Test
    void healthyNeedsConsecutiveFailuresToGoDown() {
        HealthStatus s = status(HealthState.HEALTHY);
        assertThat(s.inTransition()).isFalse();
        s.record(REFUSED, 2, 3);
        s.record(REFUSED, 2, 3);
        assertThat(s.inTransition()).isTrue();
        s.record(PASS, 2, 3); // a pass in between resets the count
        assertThat(s.inTransition()).isFalse();
        s.record(REFUSED, 2, 3);
        s.record(REFUSED, 2, 3);
        assertThat(s.state()).isEqualTo(HealthState.HEALTHY);
        assertThat(s.record(ProbeOutcome.fail("Timeout"), 2, 3).reason()).isEqualTo("unhealthy:Timeout");
        assertThat(s.state()).isEqualTo(HealthState.UNHEALTHY);
        assertThat(s.reason()).isEqualTo("unhealthy:Timeout");
    }

    @Test
    void unhealthyNeedsHealthyThresholdPassesToComeBack() {
        HealthStatus s = status(HealthState.HEALTHY);
        for (int i = 0; i < 3; i++) {
            s.record(REFUSED, 3, 3);
        }
        assertThat(s.state()).isEqualTo(HealthState.UNHEALTHY);
        assertThat(s.record(PASS, 3, 3)).isNull();
        assertThat(s.record(PASS, 3, 3)).isNull();
        assertThat(s.inTransition()).isTrue();
        s.record(REFUSED, 3, 3); // resets the passes
        assertThat(s.record(PASS, 3, 3)).isNull();
        assertThat(s.record(PASS, 3, 3)).isNull();
        assertThat(s.record(PASS, 3, 3).to()).isEqualTo(HealthState.HEALTHY);
        assertThat(changes.get()).isEqualTo(2);
    }

    @Test
    void unhealthyStaysUnhealthyWithoutNewTransitions() {
        HealthStatus s = status(HealthState.HEALTHY);
        s.record(REFUSED, 2, 1);
        assertThat(s.state()).isEqualTo(HealthState.UNHEALTHY);
        assertThat(s.record(REFUSED, 2, 1)).isNull();
        assertThat(changes.get()).isEqualTo(1);
    }
}
