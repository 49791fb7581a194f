package io.ballast.controlplane.console;

import io.ballast.controlplane.health.LatencySamples;
import io.ballast.wire.v1.Heartbeat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last {@link #WINDOW} of request, 5xx and byte rates per pool and per backend, in {@link #BUCKET} buckets,
 * computed from the monotonic per-target totals data planes send in heartbeats ({@link Heartbeat#targetCounters()};
 * a target is a pool or {@code <pool>/<backend>}).
 * Memory only: a restarted control plane starts an empty chart, which is acceptable for a 15-minute view
 * and keeps the database out of the heartbeat path. Each instance sees only the data planes connected to
 * it. Thread-safe (one lock; heartbeats arrive every few seconds per node).
 */
public final class TrafficSeries {
    public static final Duration BUCKET = Duration.ofSeconds(10);
    public static final Duration WINDOW = Duration.ofMinutes(15);
    /** The counters kept per target, in the order of a bucket's cell: requests, 5xx, bytes in, bytes out. */
    private static final int KINDS = 4;
    /** In-flight numbers of a node silent for longer than this are no longer counted. */
    private static final Duration IN_FLIGHT_FRESHNESS = Duration.ofSeconds(30);
    /** Data planes send a heartbeat every 5 s; a longer gap than this means the counts cannot be placed. */
    private static final Duration BASELINE_AFTER_SILENCE = Duration.ofSeconds(30);

    private final Clock clock;
    private final long bucketSeconds = BUCKET.toSeconds();
    private final int bucketCount = (int) (WINDOW.toSeconds() / BUCKET.toSeconds());
    /** node → its last heartbeat's counters, to turn totals into increments. */
    private final Map<String, NodeCounters> lastCounters = new HashMap<>();
    private final Map<String, NodeInFlight> inFlight = new HashMap<>();
    /** bucket index (epoch seconds / bucket) → "pool" or "pool/backend" → {requests, errors}. */
    private final TreeMap<Long, Map<String, long[]>> buckets = new TreeMap<>();

    /** Where heartbeats' latency percentiles are kept; the console shows the last minute of them. */
    private final LatencySamples latency;
    static final Duration LATENCY_WINDOW = Duration.ofMinutes(1);

    public TrafficSeries(Clock clock) {
        this(clock, new LatencySamples(clock));
    }

    public TrafficSeries(Clock clock, LatencySamples latency) {
        this.clock = clock;
        this.latency = latency;
    }

    /** Adds what one node served since its previous heartbeat. */
    public synchronized void record(String nodeId, Heartbeat heartbeat) {
        Instant now = clock.instant();
        long bucket = now.getEpochSecond() / bucketSeconds;
        NodeCounters last = lastCounters.get(nodeId);
        // After a silence (a reconnect, a lost socket) the increment covers an unknown span and would show
        // as one false spike, so that heartbeat only sets a new baseline.
        Map<String, Heartbeat.TargetCounters> previous = last == null || last.at().isBefore(now.minus(BASELINE_AFTER_SILENCE)) ? null : last.values();
        Map<String, Heartbeat.TargetCounters> current = heartbeat.targetCounters();
        if (previous != null) {
            current.forEach((target, totals) -> {
                Heartbeat.TargetCounters before = previous.getOrDefault(target, Heartbeat.TargetCounters.NONE);
                long[] values = {totals.requests(), totals.responses5xx(), totals.bytesIn(), totals.bytesOut()};
                long[] was = {before.requests(), before.responses5xx(), before.bytesIn(), before.bytesOut()};
                for (int kind = 0; kind < KINDS; kind++) {
                    // A smaller total means the data plane restarted and counts from zero again.
                    long delta = values[kind] < was[kind] ? values[kind] : values[kind] - was[kind];
                    if (delta > 0) {
                        buckets.computeIfAbsent(bucket, b -> new HashMap<>()).computeIfAbsent(target, t -> new long[KINDS])[kind] += delta;
                    }
                }
            });
        }
        lastCounters.put(nodeId, new NodeCounters(now, current));
        latency.record(nodeId, heartbeat);
        inFlight.put(nodeId, new NodeInFlight(now, heartbeat.inFlight()));
        forgetBefore(bucket - bucketCount - 1, now);
    }

    /** The pool's series (oldest first, every bucket of the window) and each backend's latest rates. */
    public synchronized PoolTraffic pool(String pool) {
        long current = clock.instant().getEpochSecond() / bucketSeconds;
        List<Point> points = new ArrayList<>(bucketCount);
        for (long b = current - bucketCount; b < current; b++) {
            long[] cell = cell(b, pool);
            points.add(point(b, cell));
        }
        Map<String, BackendTraffic> backends = new TreeMap<>();
        String prefix = pool + "/";
        Map<String, long[]> latest = buckets.getOrDefault(current - 1, Map.of());
        for (Map.Entry<String, long[]> e : latest.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                backends.put(e.getKey().substring(prefix.length()), backend(e.getValue(), 0));
            }
        }
        for (Map.Entry<String, Integer> e : freshInFlight().entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                String name = e.getKey().substring(prefix.length());
                BackendTraffic rates = backends.getOrDefault(name, new BackendTraffic(0, 0, 0));
                backends.put(name, rates.withInFlight(e.getValue()));
            }
        }
        backends.replaceAll((name, t) -> t.withLatency(latency.fleet(pool + "/" + name, LATENCY_WINDOW).orElse(null)));
        long[] last = cell(current - 1, pool);
        return new PoolTraffic(bucketSeconds, points, backends, Latency.of(latency.fleet(pool, LATENCY_WINDOW).orElse(null)),
                rate(last[2]), rate(last[3]));
    }

    /** Every pool's latest rates and in-flight total, and the fleet-wide series. */
    public synchronized FleetTraffic fleet() {
        long current = clock.instant().getEpochSecond() / bucketSeconds;
        List<Point> points = new ArrayList<>(bucketCount);
        for (long b = current - bucketCount; b < current; b++) {
            long[] total = new long[KINDS];
            buckets.getOrDefault(b, Map.of()).forEach((target, cell) -> {
                if (target.indexOf('/') < 0) {
                    total[0] += cell[0];
                    total[1] += cell[1];
                }
            });
            points.add(point(b, total));
        }
        Map<String, int[]> poolInFlight = new HashMap<>();
        freshInFlight().forEach((key, n) -> {
            int slash = key.indexOf('/');
            if (slash > 0) {
                poolInFlight.computeIfAbsent(key.substring(0, slash), p -> new int[1])[0] += n;
            }
        });
        Map<String, BackendTraffic> pools = new TreeMap<>();
        buckets.getOrDefault(current - 1, Map.of()).forEach((target, cell) -> {
            if (target.indexOf('/') < 0) {
                pools.put(target, backend(cell, 0));
            }
        });
        poolInFlight.forEach((pool, n) -> {
            BackendTraffic rates = pools.getOrDefault(pool, new BackendTraffic(0, 0, 0));
            pools.put(pool, rates.withInFlight(n[0]));
        });
        pools.replaceAll((name, t) -> t.withLatency(latency.fleet(name, LATENCY_WINDOW).orElse(null)));
        return new FleetTraffic(bucketSeconds, points, pools);
    }

    private Map<String, Integer> freshInFlight() {
        Instant oldest = clock.instant().minus(IN_FLIGHT_FRESHNESS);
        Map<String, Integer> sum = new HashMap<>();
        for (NodeInFlight node : inFlight.values()) {
            if (node.at().isAfter(oldest)) {
                node.counts().forEach((key, n) -> sum.merge(key, n == null ? 0 : n, Integer::sum));
            }
        }
        return sum;
    }

    private long[] cell(long bucket, String target) {
        return buckets.getOrDefault(bucket, Map.of()).getOrDefault(target, new long[KINDS]);
    }

    private Point point(long bucket, long[] cell) {
        return new Point(Instant.ofEpochSecond(bucket * bucketSeconds), rate(cell[0]), rate(cell[1]));
    }

    private BackendTraffic backend(long[] cell, int inFlightNow) {
        return new BackendTraffic(rate(cell[0]), rate(cell[1]), inFlightNow, rate(cell[2]), rate(cell[3]), null, null);
    }

    private double rate(long count) {
        return Math.round(count * 100.0 / bucketSeconds) / 100.0;
    }

    private void forgetBefore(long oldestBucket, Instant now) {
        buckets.headMap(oldestBucket).clear();
        Instant silentSince = now.minus(WINDOW);
        for (Iterator<Map.Entry<String, NodeInFlight>> it = inFlight.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, NodeInFlight> node = it.next();
            if (node.getValue().at().isBefore(silentSince)) {
                it.remove();
                lastCounters.remove(node.getKey());
            }
        }
    }

    private record NodeCounters(Instant at, Map<String, Heartbeat.TargetCounters> values) {
    }

    private record NodeInFlight(Instant at, Map<String, Integer> counts) {
    }

    /** One bucket: its start and the average rates over it. */
    public record Point(Instant at, double requestsPerSecond, double errorsPerSecond) {
    }

    /**
     * The latest complete bucket's rates (requests, 5xx, bytes from and to clients), the in-flight requests summed
     * over fresh data planes, and the p50/p99 latency of the last minute (milliseconds; null when nothing finished in it).
     */
    public record BackendTraffic(double requestsPerSecond, double errorsPerSecond, int inFlight, double bytesInPerSecond,
                                 double bytesOutPerSecond, Double p50Ms, Double p99Ms, Integer connections,
                                 BackendGauges.LastCheck lastCheck) {
        public BackendTraffic(double requestsPerSecond, double errorsPerSecond, int inFlight) {
            this(requestsPerSecond, errorsPerSecond, inFlight, 0, 0, null, null);
        }

        public BackendTraffic(double requestsPerSecond, double errorsPerSecond, int inFlight, double bytesInPerSecond,
                              double bytesOutPerSecond, Double p50Ms, Double p99Ms) {
            this(requestsPerSecond, errorsPerSecond, inFlight, bytesInPerSecond, bytesOutPerSecond, p50Ms, p99Ms, null, null);
        }

        BackendTraffic withInFlight(int n) {
            return new BackendTraffic(requestsPerSecond, errorsPerSecond, n, bytesInPerSecond, bytesOutPerSecond, p50Ms, p99Ms,
                    connections, lastCheck);
        }

        BackendTraffic withLatency(Heartbeat.Latency l) {
            return l == null ? this
                    : new BackendTraffic(requestsPerSecond, errorsPerSecond, inFlight, bytesInPerSecond, bytesOutPerSecond, l.p50Ms(),
                            l.p99Ms(), connections, lastCheck);
        }

        BackendTraffic withGauges(Integer open, BackendGauges.LastCheck check) {
            return new BackendTraffic(requestsPerSecond, errorsPerSecond, inFlight, bytesInPerSecond, bytesOutPerSecond, p50Ms, p99Ms,
                    open, check);
        }
    }

    /** p50/p99 in milliseconds over the last minute, and how many requests they were taken over. */
    public record Latency(long count, double p50Ms, double p99Ms) {
        static Latency of(Heartbeat.Latency l) {
            return l == null ? null : new Latency(l.count(), l.p50Ms(), l.p99Ms());
        }
    }

    /**
     * {@code GET /api/v1/pools/{pool}/traffic}; {@code latency} is the pool's (null when it served nothing lately), the
     * bytes are the latest complete bucket's, from clients ({@code in}) and to them ({@code out}); {@code queued} is the
     * requests waiting for a connection slot now (null when no data plane says). Each backend's {@code connections}
     * (open now, null when unknown) and {@code lastCheck} (the latest active health check reported, null when none)
     * come from {@link BackendGauges}.
     */
    public record PoolTraffic(long bucketSeconds, List<Point> points, Map<String, BackendTraffic> backends, Latency latency,
                              double bytesInPerSecond, double bytesOutPerSecond, Integer queued) {
        public PoolTraffic(long bucketSeconds, List<Point> points, Map<String, BackendTraffic> backends, Latency latency,
                           double bytesInPerSecond, double bytesOutPerSecond) {
            this(bucketSeconds, points, backends, latency, bytesInPerSecond, bytesOutPerSecond, null);
        }

        /** This traffic with the pool's current gauges: every backend a data plane counts connections or checks of. */
        PoolTraffic with(BackendGauges.PoolGauges gauges) {
            Map<String, BackendTraffic> all = new TreeMap<>(backends);
            if (gauges.connections() != null) {
                gauges.connections().keySet().forEach(b -> all.putIfAbsent(b, new BackendTraffic(0, 0, 0)));
            }
            gauges.lastChecks().keySet().forEach(b -> all.putIfAbsent(b, new BackendTraffic(0, 0, 0)));
            all.replaceAll((b, t) -> t.withGauges(gauges.connections() == null ? null : gauges.connections().getOrDefault(b, 0),
                    gauges.lastChecks().get(b)));
            return new PoolTraffic(bucketSeconds, points, all, latency, bytesInPerSecond, bytesOutPerSecond, gauges.queued());
        }
    }

    /** {@code GET /api/v1/traffic}: fleet-wide series and each pool's latest numbers. */
    public record FleetTraffic(long bucketSeconds, List<Point> points, Map<String, BackendTraffic> pools) {
    }
}
