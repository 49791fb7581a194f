package io.ballast.dataplane.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.model.OutlierDetection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OutlierDetectorTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicLong changes = new AtomicLong();

    private HealthStatus healthy() {
        return new HealthStatus(HealthState.HEALTHY, changes, now::get);
    }

    @Test
    void consecutive5xxEjectForTheBaseTimeTimesTheNumberOfEjections() {
        HealthStatus a = healthy();
        HealthStatus b = healthy();
        OutlierDetector detector = new OutlierDetector(new OutlierDetection(3, 3, Duration.ofSeconds(10), 50), List.of(a, b), now::get);
        detector.onResponse(a, 500);
        detector.onResponse(a, 502);
        detector.onResponse(a, 200);
        detector.onResponse(a, 500);
        detector.onResponse(a, 500);
        assertThat(a.ejected(now.get())).as("a success breaks the run").isFalse();
        detector.onResponse(a, 503);
        assertThat(a.ejected(now.get())).isTrue();
        assertThat(a.ejectionReason()).isEqualTo("ejected:Consecutive5xx");
        assertThat(a.ejectedUntil()).isEqualTo(now.get() + 10_000);

        now.addAndGet(10_000);
        a.expireEjection();
        assertThat(a.ejected(now.get())).isFalse();
        for (int i = 0; i < 3; i++) {
            detector.onGatewayFailure(a);
        }
        assertThat(a.ejectionReason()).isEqualTo("ejected:GatewayFailure");
        assertThat(a.ejectedUntil()).as("second ejection lasts twice as long").isEqualTo(now.get() + 20_000);
    }

    @Test
    void neverEjectsMaxEjectionPercentOrMoreOfThePool() {
        HealthStatus a = healthy();
        HealthStatus b = healthy();
        OutlierDetector detector = new OutlierDetector(new OutlierDetection(1, 1, Duration.ofSeconds(10), 50), List.of(a, b), now::get);
        detector.onGatewayFailure(a);
        detector.onGatewayFailure(b);
        detector.onResponse(b, 500);
        assertThat(a.ejected(now.get())).isTrue();
        assertThat(b.ejected(now.get())).as("half the pool is out already").isFalse();
    }

    @Test
    void anActiveRecoveryEndsTheEjectionEarly() {
        HealthStatus a = healthy();
        OutlierDetector detector = new OutlierDetector(new OutlierDetection(1, 1, Duration.ofSeconds(30), 100), List.of(a), now::get);
        detector.onResponse(a, 500);
        assertThat(a.ejected(now.get())).isTrue();
        a.record(ProbeOutcome.fail("Timeout"), 2, 1);
        assertThat(a.ejected(now.get())).as("still ejected while down").isTrue();
        a.record(ProbeOutcome.PASS, 2, 1);
        a.record(ProbeOutcome.PASS, 2, 1);
        assertThat(a.state()).isEqualTo(HealthState.HEALTHY);
        assertThat(a.ejected(now.get())).isFalse();
        assertThat(a.servingSince()).isEqualTo(now.get());
    }
}
