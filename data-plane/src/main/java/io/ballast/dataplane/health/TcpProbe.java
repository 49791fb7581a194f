package io.ballast.dataplane.health;

import io.vertx.core.Future;
import io.vertx.core.net.NetClient;
import java.util.concurrent.TimeUnit;

/** A TCP probe: passes when a connection can be opened, which it closes at once. Thread-safe. */
final class TcpProbe implements Probe {
    private final NetClient client;

    TcpProbe(NetClient client) {
        this.client = client;
    }

    @Override
    public Future<ProbeOutcome> probe(HealthTarget target) {
        long timeout = Math.max(1, target.check().timeout().toMillis());
        return client.connect(target.port(), target.host())
                .compose(socket -> socket.close().map(ProbeOutcome.PASS))
                .timeout(timeout, TimeUnit.MILLISECONDS)
                .otherwise(ProbeFailures::classify);
    }
}
