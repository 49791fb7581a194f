package io.ballast.wire.v1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeFramesTest {
    @Test
    void anAssignmentRoundTripsUnderItsWireName() {
        ProbeAssignment a = new ProbeAssignment(List.of(new ProbeAssignment.BackendRef("shop", "b1")), 10);
        String frame = WireCodec.encode(a);
        assertThat(frame).isEqualTo("{\"type\":\"probe-assignment\",\"relayed\":[{\"pool\":\"shop\",\"backend\":\"b1\"}],\"dataPlanes\":10}");
        assertThat(WireCodec.decode(frame)).isEqualTo(a);
    }

    @Test
    void verdictsRoundTripUnderTheirWireName() {
        ProbeVerdicts v = new ProbeVerdicts(List.of(new ProbeVerdicts.Verdict("shop", "b1", false, "unhealthy:Timeout")));
        String frame = WireCodec.encode(v);
        assertThat(frame).startsWith("{\"type\":\"probe-verdicts\"");
        assertThat(WireCodec.decode(frame)).isEqualTo(v);
    }

    @Test
    void theHelloFeatureIsOptIn() {
        Hello old = new Hello("dp-1", "h", "0.1", null, null, null, null, List.of(Hello.DELTA));
        assertThat(old.supports(Hello.PROBE_ASSIGNMENT)).isFalse();
        assertThat(new Hello("dp-1", "h", "0.1", null, null, null, null, List.of(Hello.PROBE_ASSIGNMENT))
                .supports(Hello.PROBE_ASSIGNMENT)).isTrue();
    }
}
