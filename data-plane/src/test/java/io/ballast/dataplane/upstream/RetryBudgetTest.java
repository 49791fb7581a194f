package io.ballast.dataplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
    private final AtomicLong now = new AtomicLong(5_000_000);

    @Test
    void retriesAreCappedAtTheBudgetShareOfRequestsButAFewAreAlwaysAllowed() {
        RetryBudget budget = new RetryBudget(20, now::get);
        int allowed = 0;
        for (int i = 0; i < 50; i++) {
            if (budget.tryRetry()) {
                allowed++;
            }
        }
        assertThat(allowed).as("minimum with no traffic").isEqualTo((int) RetryBudget.MIN_RETRIES);

        for (int i = 0; i < 200; i++) {
            budget.requested();
        }
        int more = 0;
        while (budget.tryRetry()) {
            more++;
        }
        assertThat(allowed + more).as("20%% of 200 requests").isEqualTo(40);
    }

    @Test
    void theBudgetRefillsAfterTwoWindows() {
        RetryBudget budget = new RetryBudget(20, now::get);
        while (budget.tryRetry()) {
            // spend it
        }
        now.addAndGet(RetryBudget.WINDOW_MILLIS);
        assertThat(budget.tryRetry()).as("the previous window still counts").isFalse();
        now.addAndGet(RetryBudget.WINDOW_MILLIS);
        assertThat(budget.tryRetry()).isTrue();
    }
}
