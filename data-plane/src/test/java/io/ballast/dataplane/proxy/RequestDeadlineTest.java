package io.ballast.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.DefaultEventLoop;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestDeadlineTest {
    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final RequestDeadline deadline = new RequestDeadline(loop);
    private final AtomicInteger first = new AtomicInteger();
    private final AtomicInteger second = new AtomicInteger();
    private final Runnable a = first::incrementAndGet;
    private final Runnable b = second::incrementAndGet;

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private void onLoop(Runnable r) throws Exception {
        loop.submit(r).get(5, TimeUnit.SECONDS);
    }

    @Test
    void firesOnceAtTheDeadline() throws Exception {
        onLoop(() -> deadline.arm(50, a));
        await().atMost(Duration.ofSeconds(5)).until(() -> first.get() == 1);
        Thread.sleep(200);
        assertThat(first).hasValue(1);
    }

    @Test
    void aDisarmedExchangeIsNeverTold() throws Exception {
        onLoop(() -> {
            deadline.arm(50, a);
            deadline.disarm(a);
        });
        Thread.sleep(300);
        assertThat(first).hasValue(0);
    }

    @Test
    void theNextExchangeReArmsTheSameTimerAndAStaleDisarmLeavesItAlone() throws Exception {
        onLoop(() -> {
            deadline.arm(50, a);
            deadline.disarm(a);
            deadline.arm(400, b);
            deadline.disarm(a);
        });
        Thread.sleep(200);
        // The task scheduled for a fired at 50 ms and found b's deadline still ahead.
        assertThat(second).hasValue(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> second.get() == 1);
        assertThat(first).hasValue(0);
    }

    @Test
    void anEarlierDeadlineThanTheScheduledTaskReschedulesIt() throws Exception {
        onLoop(() -> {
            deadline.arm(60_000, a);
            deadline.disarm(a);
            deadline.arm(50, b);
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> second.get() == 1);
    }

    @Test
    void closingCancelsEverything() throws Exception {
        onLoop(() -> {
            deadline.arm(50, a);
            deadline.close();
        });
        Thread.sleep(300);
        assertThat(first).hasValue(0);
    }
}
