package io.ballast.wire.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RateLimitShareTest {

    @Test
    void roundTripsUnderItsWireName() {
        RateLimitShare share = RateLimitShare.among(4);
        String frame = WireCodec.encode(share);
        assertThat(frame).isEqualTo("{\"type\":\"rate-limit-share\",\"share\":0.25,\"dataPlanes\":4}");
        assertThat(WireCodec.decode(frame)).isEqualTo(share);
    }

    @Test
    void noConnectedDataPlaneStillMeansTheWholeLimitForTheOneAsking() {
        assertThat(RateLimitShare.among(0)).isEqualTo(new RateLimitShare(1.0, 1));
    }

    @Test
    void aShareOutsideZeroToOneIsAMalformedFrame() {
        for (String bad : new String[] {
                "{\"type\":\"rate-limit-share\",\"share\":0,\"dataPlanes\":1}",
                "{\"type\":\"rate-limit-share\",\"share\":1.5,\"dataPlanes\":1}",
                "{\"type\":\"rate-limit-share\",\"share\":0.5,\"dataPlanes\":0}"}) {
            assertThatThrownBy(() -> WireCodec.decode(bad)).as(bad).isInstanceOf(WireCodec.WireFormatException.class);
        }
    }
}
