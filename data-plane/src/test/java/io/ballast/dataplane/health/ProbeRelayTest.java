package io.ballast.dataplane.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.model.HealthCheck;
import io.ballast.wire.v1.ProbeAssignment;
import io.ballast.wire.v1.ProbeVerdicts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The relay's rules with a hand-driven clock: what is probed here, and which verdicts are taken. */
class ProbeRelayTest {
    private static final HealthCheck EVERY_SECOND = new HealthCheck(null, null, null, null, null, Duration.ofSeconds(1), null, null,
            null, null, null);

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final HealthStatus a = new HealthStatus(HealthState.HEALTHY, new AtomicLong(), now::get);
    private final HealthStatus b = new HealthStatus(HealthState.HEALTHY, new AtomicLong(), now::get);
    private final List<HealthTransition> transitions = new ArrayList<>();
    private final ProbeRelay relay = new ProbeRelay(now::get, () -> Map.of("web/a", a, "web/b", b), transitions::add);

    private static HealthTarget target(String backend, HealthStatus status) {
        return new HealthTarget("web/127.0.0.1:" + backend, "web", backend, "127.0.0.1", 80, EVERY_SECOND, status);
    }

    @Test
    void aVerdictForABackendThisNodeProbesItselfIsIgnored() {
        relay.assign(new ProbeAssignment(List.of(new ProbeAssignment.BackendRef("web", "b")), 10));
        relay.apply(new ProbeVerdicts(List.of(new ProbeVerdicts.Verdict("web", "a", false, "unhealthy:Timeout"),
                new ProbeVerdicts.Verdict("web", "b", false, "unhealthy:Timeout"))));
        assertThat(a.state()).isEqualTo(HealthState.HEALTHY);
        assertThat(b.state()).isEqualTo(HealthState.UNHEALTHY);
        assertThat(b.reason()).isEqualTo("unhealthy:Timeout");
        assertThat(transitions).hasSize(1);
    }

    @Test
    void aRelayedBackendIsProbedHereOnlyWhenItsVerdictIsLateOrTheControlPlaneIsGone() {
        assertThat(relay.probesHere(target("b", b))).as("no assignment: everything").isTrue();
        relay.assign(new ProbeAssignment(List.of(new ProbeAssignment.BackendRef("web", "b")), 10));
        assertThat(relay.probesHere(target("a", a))).isTrue();
        assertThat(relay.probesHere(target("b", b))).as("its first verdict is on its way").isFalse();
        now.addAndGet(ProbeRelay.NO_VERDICT_INTERVALS * 1000L);
        assertThat(relay.probesHere(target("b", b))).as("3 intervals without a verdict").isTrue();
        relay.apply(new ProbeVerdicts(List.of(new ProbeVerdicts.Verdict("web", "b", true, "healthy"))));
        assertThat(relay.probesHere(target("b", b))).as("a verdict came").isFalse();
        relay.lost();
        assertThat(relay.probesHere(target("b", b))).as("control plane lost").isTrue();
        assertThat(relay.relayedCount()).isZero();
    }
}
