package io.ballast.dataplane.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Mirror copies by mirror pool and outcome ({@code ballast_mirror_requests_total{pool,outcome}}). Counted only for
 * requests of routes that mirror, so the plain path never touches it. Thread-safe.
 */
public final class MirrorMetrics {
    /** How one copy ended, or why none was sent. The names are the metric's {@code outcome} label. */
    public enum Outcome {
        /** The mirror backend answered (whatever the status); the answer was discarded. */
        ANSWERED("answered"),
        /** Connect failure, reset, or an answer that was not HTTP. */
        FAILED("failed"),
        /** No complete answer within the mirror pool's request timeout. */
        TIMEOUT("timeout"),
        /** The mirror pool had no eligible backend. */
        NO_BACKEND("no-backend"),
        /** Not sent: the event loop already held its most copies at once, or the chosen backend was at its connection limit. */
        BUSY("busy"),
        /** Not sent: the request body is longer than {@code mirror.maxBody}. */
        TOO_LARGE("too-large"),
        /** Not sent: the exchange ended before the client's request was read whole, so there was no whole copy. */
        CANCELLED("cancelled");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final Outcome[] OUTCOMES = Outcome.values();
    private final ConcurrentHashMap<String, LongAdder[]> byPool = new ConcurrentHashMap<>();

    public void count(String pool, Outcome outcome) {
        LongAdder[] counters = byPool.get(pool);
        if (counters == null) {
            counters = byPool.computeIfAbsent(pool, p -> {
                LongAdder[] fresh = new LongAdder[OUTCOMES.length];
                for (int i = 0; i < fresh.length; i++) {
                    fresh[i] = new LongAdder();
                }
                return fresh;
            });
        }
        counters[outcome.ordinal()].increment();
    }

    /** The count so far, for tests and the exposition. */
    public long total(String pool, Outcome outcome) {
        LongAdder[] counters = byPool.get(pool);
        return counters == null ? 0 : counters[outcome.ordinal()].sum();
    }

    /** Appends the counter family in Prometheus text format; nothing until a route has mirrored. */
    void render(StringBuilder sb) {
        if (byPool.isEmpty()) {
            return;
        }
        sb.append("# HELP ballast_mirror_requests_total Mirror copies by mirror pool and outcome (sent ones: answered, failed,"
                + " timeout; not sent: no-backend, busy, too-large, cancelled).\n# TYPE ballast_mirror_requests_total counter\n");
        List<String> pools = new ArrayList<>(byPool.keySet());
        Collections.sort(pools);
        for (String pool : pools) {
            LongAdder[] counters = byPool.get(pool);
            for (Outcome o : OUTCOMES) {
                sb.append("ballast_mirror_requests_total{pool=\"").append(pool.replace("\\", "\\\\").replace("\"", "\\\""))
                        .append("\",outcome=\"").append(o.label()).append("\"} ").append(counters[o.ordinal()].sum()).append('\n');
            }
        }
    }
}
