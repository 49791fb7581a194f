package io.ballast.controlplane.push;

import io.ballast.controlplane.fleet.ConnectedDataPlanes;
import io.ballast.wire.v1.Hello;
import io.ballast.wire.v1.RateLimitShare;
import io.ballast.wire.v1.WireCodec;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Apportions {@code scope: fleet} rate limits: each data plane connected to this instance (and announcing
 * {@code rate-limit-share}) is told its share, {@code 1 / N} of every fleet limit, where N counts the data planes
 * connected to every instance ({@link ConnectedDataPlanes}, from the database, so several control planes agree).
 * Recounted every {@code ballast.ratelimit.share-interval} [2 s], so a data plane that joins or leaves any instance
 * changes the others' shares within that, and a new data plane gets its first share within that of its hello. A
 * share is sent to a session only when it differs from the last one sent to it. With the database unreachable
 * nothing is sent: the data planes keep the last share they have. The timer hands the JDBC work to a worker.
 * Thread-safe.
 */
@ApplicationScoped
public class RateLimitShares {
    private static final Logger LOG = Logger.getLogger(RateLimitShares.class);

    private final Vertx vertx;
    private final DataPlaneSessions sessions;
    private final ConnectedDataPlanes fleet;
    private final Duration interval;
    /** The last share sent on each socket, by connection id. */
    private final Map<String, RateLimitShare> sent = new ConcurrentHashMap<>();
    private long timerId = -1;

    RateLimitShares(Vertx vertx, DataPlaneSessions sessions, ConnectedDataPlanes fleet,
                    @ConfigProperty(name = "ballast.ratelimit.share-interval") Duration interval) {
        this.vertx = vertx;
        this.sessions = sessions;
        this.fleet = fleet;
        this.interval = interval;
    }

    void onStart(@Observes StartupEvent event) {
        timerId = vertx.setPeriodic(interval.toMillis(), id -> vertx.executeBlocking(() -> {
            refresh();
            return null;
        }, false));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** Recounts the fleet and sends each session whose share changed its new one. Blocking JDBC. */
    public synchronized void refresh() {
        List<DataPlaneSession> targets = sessions.identified().stream()
                .filter(s -> s.hello() != null && s.hello().supports(Hello.RATE_LIMIT_SHARE))
                .toList();
        Set<String> open = targets.stream().map(DataPlaneSession::connectionId).collect(Collectors.toSet());
        sent.keySet().retainAll(open);
        if (targets.isEmpty()) {
            return;
        }
        int connected;
        try {
            connected = fleet.count();
        } catch (RuntimeException e) {
            LOG.debugf("Rate-limit shares not recounted now (database unavailable?): %s", e.getMessage());
            return;
        }
        // This instance's own sessions are connected whatever the database says (a hello not yet recorded).
        RateLimitShare share = RateLimitShare.among(Math.max(connected, distinctNodes(targets)));
        String frame = WireCodec.encode(share);
        for (DataPlaneSession session : targets) {
            RateLimitShare before = sent.put(session.connectionId(), share);
            if (!share.equals(before)) {
                session.connection().sendText(frame).subscribe().with(ok -> { },
                        failure -> LOG.debugf("Rate-limit share not sent to %s: %s", session.nodeId(), failure.getMessage()));
                if (before == null || before.dataPlanes() != share.dataPlanes()) {
                    LOG.debugf("Data plane %s enforces 1/%d of each fleet rate limit", session.nodeId(), share.dataPlanes());
                }
            }
        }
    }

    private static int distinctNodes(List<DataPlaneSession> sessions) {
        return (int) sessions.stream().map(DataPlaneSession::nodeId).distinct().count();
    }
}
