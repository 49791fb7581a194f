package io.ballast.wire.v1;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads the per-target counters of heartbeats from data planes before 0.2, which sent them in the flat counter map
 * as {@code requests:<target>}, {@code responses5xx:<target>}, {@code bytesIn:<target>} and {@code bytesOut:<target>}.
 * Newer data planes send {@link Heartbeat#targets()} instead; this is the one place that knows the old form.
 */
final class LegacyTargetCounters {
    private static final String REQUESTS = "requests:";
    private static final String ERRORS = "responses5xx:";
    private static final String BYTES_IN = "bytesIn:";
    private static final String BYTES_OUT = "bytesOut:";

    private LegacyTargetCounters() {
    }

    static Map<String, Heartbeat.TargetCounters> read(Map<String, Long> counters) {
        Map<String, long[]> cells = new HashMap<>();
        counters.forEach((key, value) -> {
            if (value == null) {
                return;
            }
            int kind = key.startsWith(REQUESTS) ? 0 : key.startsWith(ERRORS) ? 1 : key.startsWith(BYTES_IN) ? 2 : key.startsWith(BYTES_OUT) ? 3 : -1;
            if (kind >= 0) {
                String target = key.substring(key.indexOf(':') + 1);
                cells.computeIfAbsent(target, t -> new long[4])[kind] = value;
            }
        });
        Map<String, Heartbeat.TargetCounters> out = new HashMap<>();
        cells.forEach((target, c) -> out.put(target, new Heartbeat.TargetCounters(c[0], c[1], c[2], c[3])));
        return Map.copyOf(out);
    }
}
