package io.ballast.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** An exchange's place in its connection's limit is taken when its lifecycle starts and given back once, at its end. */
class ExchangeLimitTest {
    @Test
    void theLifecycleTakesAPlaceAndGivesItBackOnce() {
        ExchangeLimit limit = new ExchangeLimit(2);
        PendingRequests pending = new PendingRequests();
        ExchangeLifecycle first = new ExchangeLifecycle("p", pending, limit);
        assertThat(limit.hasRoom()).isTrue();
        ExchangeLifecycle second = new ExchangeLifecycle("p", pending, limit);
        assertThat(limit.hasRoom()).isFalse();
        first.end();
        first.end();
        assertThat(limit.open()).isEqualTo(1);
        assertThat(limit.hasRoom()).isTrue();
        second.end();
        assertThat(limit.open()).isZero();
    }

    @Test
    void withoutALimitNothingIsCounted() {
        ExchangeLifecycle l = new ExchangeLifecycle("p", new PendingRequests(), null);
        l.end();
        assertThat(l.ended()).isTrue();
    }
}
