package io.ballast.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.wire.v1.UnknownMessage;
import io.ballast.wire.v1.WireCodec;
import io.ballast.wire.v1.WireMessage;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Property fuzzing of the wire-v1 codec (issue 15): whatever a peer sends, {@link WireCodec#decode} answers a
 * message or a {@link WireCodec.WireFormatException}, never another exception (which would escape the socket
 * handlers); and whatever it decodes encodes again and decodes to the same message.
 */
class WireCodecFuzzTest {
    private static final List<String> VALID = List.of(
            "{\"type\":\"hello\",\"nodeId\":\"dp-1\",\"hostname\":\"h\",\"version\":\"0.1.0\",\"labels\":{\"zone\":\"a\"},"
                    + "\"appliedRevision\":3,\"appliedHash\":\"abc\",\"health\":[{\"pool\":\"web\",\"backend\":\"a\",\"state\":\"healthy\","
                    + "\"reason\":\"healthy\",\"at\":1}]}",
            "{\"type\":\"ack\",\"revision\":5,\"hash\":\"abc\",\"warnings\":[\"cache-write-failed: x\"]}",
            "{\"type\":\"nack\",\"revision\":5,\"hash\":\"abc\",\"errors\":[{\"field\":\"pools[0]\",\"message\":\"bad\"}]}",
            "{\"type\":\"heartbeat\",\"appliedRevision\":5,\"appliedHash\":\"abc\",\"inFlight\":{\"web/a\":1},\"counters\":{\"requests\":2}}",
            "{\"type\":\"health\",\"observations\":[{\"pool\":\"web\",\"backend\":\"a\",\"state\":\"unhealthy\",\"reason\":\"unhealthy:Timeout\",\"at\":5}]}",
            "{\"type\":\"ping\",\"at\":5}",
            "{\"type\":\"snapshot\",\"revision\":2,\"hash\":\"h\",\"config\":{\"pools\":[{\"name\":\"web\",\"backends\":[{\"host\":\"10.0.0.1\","
                    + "\"port\":80}]}],\"routes\":[{\"name\":\"site\",\"pool\":\"web\"}]}}");

    /** The property: decode never throws anything but its own exception, and what it decodes round-trips. */
    static void check(String frame) {
        WireMessage decoded;
        try {
            decoded = WireCodec.decode(frame);
        } catch (WireCodec.WireFormatException expected) {
            return;
        }
        assertThat(decoded).isNotNull();
        if (decoded instanceof UnknownMessage) {
            return;
        }
        String encoded = WireCodec.encode(decoded);
        assertThat(WireCodec.decode(encoded)).as(frame).isEqualTo(decoded);
    }

    @Property(tries = 1500)
    void structuredFramesNeverThrowUnexpectedly(@ForAll("frames") String frame) {
        check(frame);
    }

    @Property(tries = 1500)
    void mutatedValidFramesNeverThrowUnexpectedly(@ForAll("mutations") String frame) {
        check(frame);
    }

    @Property(tries = 500)
    void arbitraryTextNeverThrowsUnexpectedly(@ForAll("anything") String frame) {
        check(frame);
    }

    @Test
    void everyFrameOfTheRegressionCorpusStillHolds() {
        List<String> corpus = FuzzInputs.corpus("wire-v1");
        assertThat(corpus).isNotEmpty();
        corpus.forEach(WireCodecFuzzTest::check);
        VALID.forEach(frame -> assertThat(WireCodec.decode(frame)).isNotInstanceOf(UnknownMessage.class));
    }

    @Provide
    Arbitrary<String> frames() {
        return FuzzInputs.frame();
    }

    @Provide
    Arbitrary<String> mutations() {
        return FuzzInputs.mutated(VALID);
    }

    @Provide
    Arbitrary<String> anything() {
        return Arbitraries.strings().all().ofMaxLength(200);
    }
}
