package io.ballast.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The soak's two control planes on one PostgreSQL. At most one is restarted at a time; writes go to the other, and
 * the choice and the start of a restart are made under one lock, so no write is sent to a control plane that is
 * stopping. Thread-safe.
 */
final class SoakControlPlanes {
    private final List<ControlPlane> both;
    private ControlPlane restarting;
    private int restarts;

    SoakControlPlanes(ControlPlane first, ControlPlane second) {
        this.both = List.of(first, second);
    }

    String urls() {
        return both.get(0).url() + "," + both.get(1).url();
    }

    /** Calls {@code write} with the control plane that is not restarting (the first when none is); no restart begins meanwhile. */
    synchronized <T> T withWritable(java.util.function.Function<ControlPlane, T> write) {
        return write.apply(both.get(0) == restarting ? both.get(1) : both.get(0));
    }

    /**
     * Stops (SIGTERM, graceful) and starts again the control plane the data plane is connected to, so it must
     * reconnect to the other one; returns after the restarted one is ready again.
     */
    void restartTheOneServing(JsonNode dataPlaneStatus) {
        String url = dataPlaneStatus == null ? "" : dataPlaneStatus.path("controlPlane").path("url").asText();
        ControlPlane victim;
        synchronized (this) {
            victim = both.stream().filter(cp -> url.contains(cp.url().substring("http://".length()) + "/")).findFirst()
                    .orElse(both.get(restarts % 2));
            restarting = victim;
            restarts++;
        }
        try {
            victim.stop();
            victim.start();
        } finally {
            synchronized (this) {
                restarting = null;
            }
        }
    }

    synchronized int restarts() {
        return restarts;
    }
}
