package io.ballast.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.dataplane.testing.Configs;
import io.ballast.model.Pool;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BackendClientsTest {
    private final Vertx vertx = Vertx.vertx();
    private final BackendClients clients = new BackendClients(vertx);

    @AfterEach
    void stop() throws Exception {
        clients.closeAll();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static Pool idle(String name, Duration idle) {
        return Configs.withIdleTimeout(Pool.named(name), idle);
    }

    @Test
    void poolsWithTheSameIdleTimeoutShareOneClient() {
        HttpClient a = clients.forPool(idle("a", Duration.ofSeconds(5)));
        HttpClient b = clients.forPool(idle("b", Duration.ofMillis(4500)));
        HttpClient byDefault = clients.forPool(Pool.named("c"));
        assertThat(b).isSameAs(a);
        assertThat(byDefault).isNotSameAs(a).isSameAs(clients.forPool(idle("d", Duration.ofSeconds(60))));
        assertThat(clients.size()).isEqualTo(2);
    }

    @Test
    void aClientNoPoolUsesAfterASwapIsRetiredAndMadeAnewWhenNeededAgain() {
        Pool shortIdle = idle("a", Duration.ofSeconds(1));
        HttpClient first = clients.forPool(shortIdle);
        clients.forPool(Pool.named("b"));
        clients.keepOnly(List.of(Pool.named("b")));
        assertThat(clients.size()).isEqualTo(1);
        assertThat(clients.forPool(shortIdle)).isNotSameAs(first);
    }

    @Test
    void idleTimeoutsRoundUpToWholeSecondsAndNeverToZero() {
        assertThat(BackendClients.keepAliveSeconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(BackendClients.keepAliveSeconds(Duration.ofMillis(1001))).isEqualTo(2);
        assertThat(BackendClients.keepAliveSeconds(Duration.ofSeconds(60))).isEqualTo(60);
    }
}
