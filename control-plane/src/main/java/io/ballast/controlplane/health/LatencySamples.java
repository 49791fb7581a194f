package io.ballast.controlplane.health;

import io.ballast.wire.v1.Heartbeat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The latency percentiles data planes send in heartbeats (wire v1 {@code heartbeat.latency}, one sample per
 * heartbeat interval per target: a pool, or {@code pool/backend}), kept for {@link #KEPT} per data plane. Combining
 * samples (several heartbeats, several data planes) weights each sample's p50 and p99 by its request count: an
 * approximation (percentiles do not add up exactly), close when the samples come from similar traffic, and
 * what a dashboard or a rollout gate comparing a cohort with the rest of the fleet needs. Memory only, like the
 * traffic series: each control-plane instance knows the data planes connected to it. Thread-safe (one lock).
 */
public final class LatencySamples {
    /** How far back samples are kept; the longest window a caller can ask for. */
    public static final Duration KEPT = Duration.ofMinutes(15);

    private final Clock clock;
    /** node → its samples, oldest first. */
    private final Map<String, Deque<Sample>> byNode = new HashMap<>();

    public LatencySamples(Clock clock) {
        this.clock = clock;
    }

    private record Sample(Instant at, Map<String, Heartbeat.Latency> latency) {
    }

    /** Stores the percentiles of one heartbeat of {@code nodeId}. */
    public synchronized void record(String nodeId, Heartbeat heartbeat) {
        Instant now = clock.instant();
        Deque<Sample> samples = byNode.computeIfAbsent(nodeId, n -> new ArrayDeque<>());
        if (!heartbeat.latency().isEmpty()) {
            samples.addLast(new Sample(now, heartbeat.latency()));
        }
        forgetBefore(now.minus(KEPT));
    }

    /** {@code target}'s latency on one data plane over the last {@code window}; empty when it served nothing then. */
    public synchronized Optional<Heartbeat.Latency> node(String nodeId, String target, Duration window) {
        Instant since = clock.instant().minus(window);
        Combined c = new Combined();
        for (Sample s : byNode.getOrDefault(nodeId, new ArrayDeque<>())) {
            if (!s.at().isBefore(since)) {
                c.add(s.latency().get(target));
            }
        }
        return c.result();
    }

    /** {@code target}'s latency per data plane over the last {@code window}, for the data planes that served it. */
    public synchronized Map<String, Heartbeat.Latency> byNode(String target, Duration window) {
        Map<String, Heartbeat.Latency> out = new TreeMap<>();
        for (String node : byNode.keySet()) {
            node(node, target, window).ifPresent(l -> out.put(node, l));
        }
        return out;
    }

    /** {@code target}'s latency over every data plane of this instance and the last {@code window}. */
    public synchronized Optional<Heartbeat.Latency> fleet(String target, Duration window) {
        Instant since = clock.instant().minus(window);
        Combined c = new Combined();
        for (Deque<Sample> samples : byNode.values()) {
            for (Sample s : samples) {
                if (!s.at().isBefore(since)) {
                    c.add(s.latency().get(target));
                }
            }
        }
        return c.result();
    }

    private void forgetBefore(Instant oldest) {
        for (Iterator<Deque<Sample>> it = byNode.values().iterator(); it.hasNext(); ) {
            Deque<Sample> samples = it.next();
            while (!samples.isEmpty() && samples.peekFirst().at().isBefore(oldest)) {
                samples.removeFirst();
            }
            if (samples.isEmpty()) {
                it.remove();
            }
        }
    }

    /** A count-weighted mean of samples' percentiles. */
    private static final class Combined {
        long count;
        double p50;
        double p99;

        void add(Heartbeat.Latency l) {
            if (l == null || l.count() <= 0) {
                return;
            }
            count += l.count();
            p50 += l.p50Ms() * l.count();
            p99 += l.p99Ms() * l.count();
        }

        Optional<Heartbeat.Latency> result() {
            return count == 0 ? Optional.empty()
                    : Optional.of(new Heartbeat.Latency(count, round(p50 / count), round(p99 / count)));
        }

        private static double round(double ms) {
            return Math.round(ms * 1000) / 1000.0;
        }
    }
}
