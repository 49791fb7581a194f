package io.ballast.dataplane.upstream;

import io.ballast.dataplane.health.HealthState;
import io.ballast.model.AdminState;
import io.ballast.wire.v1.HealthReport;
import java.util.Collection;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Turns what a data plane knows about each backend (admin state, ejection, active health) into one
 * reported state with a reason code, and emits an observation whenever it changes: the first time a
 * backend is seen, on every health transition, ejection and its end, and when an operator drains or
 * disables it. Precedence: {@code disabled}, {@code draining}, then {@code unhealthy:*} (an active check's
 * failure says more than an ejection), {@code ejected:*}, then {@code initial} or {@code healthy}. {@link #scan} is called after each
 * active transition and on a short timer (ejections end and admin states change without a probe).
 * Thread-safe: scans are serialized.
 */
public final class HealthReporter {
    private final LongSupplier clock;
    private final Consumer<HealthReport.Observation> sink;

    public HealthReporter(LongSupplier clock, Consumer<HealthReport.Observation> sink) {
        this.clock = clock;
        this.sink = sink;
    }

    /** The state and reason a member reports now. */
    public record Reported(String state, String reason) {
    }

    public static Reported reported(Member m, long now) {
        AdminState admin = m.backend().adminState();
        if (admin == AdminState.DISABLED) {
            return new Reported("disabled", "disabled");
        }
        if (admin == AdminState.DRAINING) {
            return new Reported("draining", "draining");
        }
        if (m.live().health().ejected(now) && m.live().health().state() != HealthState.UNHEALTHY) {
            return new Reported("ejected", m.live().health().ejectionReason());
        }
        return new Reported(m.live().health().state().wireName(), m.live().health().reason());
    }

    public synchronized void scan(Collection<UpstreamPool> pools) {
        long now = clock.getAsLong();
        for (UpstreamPool pool : pools) {
            for (Member m : pool.members()) {
                Reported r = reported(m, now);
                LiveBackend live = m.live();
                if (!r.equals(live.lastReported)) {
                    boolean first = live.lastReported == null;
                    live.lastReported = r;
                    if (!first) {
                        live.stats().transitioned();
                    }
                    boolean adminDriven = !r.reason().startsWith("ejected") && !r.state().equals(m.live().health().state().wireName());
                    long at = adminDriven || first ? now : Math.max(m.live().health().lastChangeAt(), 0);
                    // The count lets the control plane confirm a drain of an idle backend from this report alone.
                    sink.accept(new HealthReport.Observation(pool.name(), m.backend().name(), r.state(), r.reason(), at, m.inFlight()));
                }
            }
        }
    }
}
