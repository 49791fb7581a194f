package io.ballast.dataplane.metrics;

import io.ballast.dataplane.health.HealthStatus;
import io.ballast.dataplane.routing.ActiveConfig;
import io.ballast.dataplane.upstream.Member;
import io.ballast.dataplane.upstream.UpstreamPool;
import io.ballast.wire.v1.Heartbeat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The latest active health check of the backends probed since their last report, for the heartbeat's {@code probes}
 * (health reports carry transitions only, so without this the console could not say "last check 3 s ago: OK 200").
 * At most {@link #MAX_PER_HEARTBEAT} entries go in one heartbeat, so a config of thousands of backends keeps the
 * frame well under the 64 KiB a WebSocket server accepts by default (an older control plane included): a result that
 * differs from the one last reported goes first, then the backends whose report is oldest. With fewer backends than
 * that, every heartbeat carries each backend's newest probe; with more, each is refreshed in turn. Remembers what it
 * reported per {@code pool/backend}; a backend that leaves the config is forgotten with it. Thread-safe.
 */
public final class ProbesSinceLastHeartbeat {
    static final int MAX_PER_HEARTBEAT = 100;

    private Map<String, Heartbeat.Probe> reported = new HashMap<>();

    /** What to report now, keyed {@code pool/backend}; empty when there is no config or nothing new. */
    public synchronized Map<String, Heartbeat.Probe> take(ActiveConfig config) {
        if (config == null) {
            return Map.of();
        }
        Map<String, Heartbeat.Probe> kept = new HashMap<>();
        List<Candidate> fresh = new ArrayList<>();
        for (UpstreamPool pool : config.table().pools()) {
            for (Member m : pool.members()) {
                HealthStatus.LastProbe last = m.live().health().lastProbe();
                String key = m.heartbeatKey();
                Heartbeat.Probe before = reported.get(key);
                if (before != null) {
                    kept.put(key, before);
                }
                if (last == null || before != null && before.at() == last.at()) {
                    continue;
                }
                Heartbeat.Probe now = new Heartbeat.Probe(last.at(), last.outcome().passed(), last.outcome().status(),
                        last.outcome().failure());
                boolean changed = before == null || before.passed() != now.passed()
                        || !Objects.equals(before.status(), now.status())
                        || !Objects.equals(before.failure(), now.failure());
                fresh.add(new Candidate(key, now, changed, before == null ? 0 : before.at()));
            }
        }
        fresh.sort(Comparator.comparing((Candidate c) -> !c.changed).thenComparingLong(c -> c.reportedAt));
        Map<String, Heartbeat.Probe> out = new LinkedHashMap<>();
        for (Candidate c : fresh.subList(0, Math.min(MAX_PER_HEARTBEAT, fresh.size()))) {
            out.put(c.key, c.probe);
            kept.put(c.key, c.probe);
        }
        reported = kept;
        return out;
    }

    private record Candidate(String key, Heartbeat.Probe probe, boolean changed, long reportedAt) {
    }
}
