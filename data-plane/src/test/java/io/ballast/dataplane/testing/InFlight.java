package io.ballast.dataplane.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.dataplane.DataPlane;
import io.ballast.dataplane.routing.ActiveConfig;
import io.ballast.dataplane.upstream.Member;
import io.ballast.dataplane.upstream.UpstreamPool;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;

/**
 * The invariant of TESTING.md's "every exchange releases what it holds": once nothing is in progress, every
 * backend's in-flight count (what least-requests, connection limits and drains read) is back to zero.
 */
public final class InFlight {
    private InFlight() {
    }

    /** Every member's in-flight count, by pool/backend. */
    public static Map<String, Integer> counts(DataPlane dp) {
        Map<String, Integer> out = new TreeMap<>();
        ActiveConfig active = dp.config().current();
        if (active == null) {
            return out;
        }
        for (UpstreamPool p : active.table().pools()) {
            for (Member m : p.members()) {
                out.put(p.name() + "/" + m.backend().name(), m.inFlight());
            }
        }
        return out;
    }

    /** Waits (a few seconds at most) until every count is zero; fails with the counts otherwise. */
    public static void awaitZero(DataPlane dp) {
        Awaitility.await("in-flight counts back to 0").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> assertThat(counts(dp)).allSatisfy((backend, n) -> assertThat(n).as(backend).isZero()));
    }
}
