package io.ballast.dataplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesUpToTheMaximumWithinItsJitterBand() {
        Backoff low = new Backoff(200, 10_000, () -> 0.0);
        Backoff high = new Backoff(200, 10_000, () -> 0.999_999);
        List<Long> lows = new ArrayList<>();
        List<Long> highs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            lows.add(low.nextDelayMillis());
            highs.add(high.nextDelayMillis());
        }
        assertThat(lows).containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L);
        assertThat(highs).containsExactly(199L, 399L, 799L, 1599L, 3199L, 6399L, 9999L, 9999L);
    }

    @Test
    void resetStartsOver() {
        Backoff b = new Backoff(200, 10_000, () -> 0.0);
        b.nextDelayMillis();
        b.nextDelayMillis();
        b.reset();
        assertThat(b.nextDelayMillis()).isEqualTo(100);
    }

    @Test
    void connectUrlMapsSchemesAndKeepsABasePath() {
        assertThat(ControlPlaneClient.connectUrl(java.net.URI.create("http://cp:9000")))
                .isEqualTo("ws://cp:9000/api/v1/dataplanes/connect");
        assertThat(ControlPlaneClient.connectUrl(java.net.URI.create("https://cp.example.com/ballast/")))
                .isEqualTo("wss://cp.example.com/ballast/api/v1/dataplanes/connect");
    }
}
