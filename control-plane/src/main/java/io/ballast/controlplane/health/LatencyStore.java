package io.ballast.controlplane.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * The application's {@link LatencySamples}, fed with every heartbeat (by the console's traffic recorder, which
 * sees them all). Read it for p50/p99 per pool or backend, per data plane or over the fleet: the console does,
 * and a rollout gate comparing a cohort's p99 with the rest of the fleet can. Memory only, non-blocking.
 */
@ApplicationScoped
public class LatencyStore {
    private final LatencySamples samples = new LatencySamples(Clock.systemUTC());

    public LatencySamples samples() {
        return samples;
    }
}
