package io.ballast.dataplane.health;

import io.vertx.core.Future;
import io.vertx.core.net.NetClient;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

/** A TCP probe: passes when a connection can be opened, which it closes at once. Thread-safe. */
final class TcpProbe {
    private final NetClient client;

    TcpProbe(NetClient client) {
        this.client = client;
    }

    /** Connects to {@code address}, what the target's host resolved to. */
    Future<ProbeOutcome> probe(HealthTarget target, InetAddress address) {
        long timeout = Math.max(1, target.check().timeout().toMillis());
        return client.connect(target.port(), address.getHostAddress())
                .compose(socket -> socket.close().map(ProbeOutcome.PASS))
                .timeout(timeout, TimeUnit.MILLISECONDS)
                .otherwise(ProbeFailures::classify);
    }
}
