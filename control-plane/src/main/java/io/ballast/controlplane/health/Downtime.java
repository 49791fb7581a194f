package io.ballast.controlplane.health;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How long each backend was down within a window, like the "downtime" column of HAProxy's stats page, from the
 * history of transitions: per connected data plane, the spans it reported the backend {@code unhealthy} or
 * {@code ejected}; per backend, the union of those spans (down on at least one data plane). The state a data plane
 * was in when the window opened is the {@code from} of its first transition inside the window, or, without one, its
 * current observation. Read-only JDBC on the caller's connection. Stateless.
 */
final class Downtime {
    private Downtime() {
    }

    static boolean down(String state) {
        return "unhealthy".equals(state) || "ejected".equals(state);
    }

    /** pool/backend → milliseconds down within [from, to], for backends of {@code pool} (every pool when null). */
    static Map<String, Long> millis(Connection c, String pool, List<String> nodes, Instant from, Instant to) throws SQLException {
        Set<String> connected = Set.copyOf(nodes);
        // (node, pool/backend) → its transitions inside the window, oldest first.
        Map<String, List<Object[]>> transitions = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT node_id, pool, backend, from_state, state, observed_at FROM health_event "
                + "WHERE observed_at >= ? AND (?::text IS NULL OR pool = ?) ORDER BY id")) {
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setString(2, pool);
            ps.setString(3, pool);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (connected.contains(rs.getString(1))) {
                        transitions.computeIfAbsent(rs.getString(1) + "\n" + rs.getString(2) + "/" + rs.getString(3), k -> new ArrayList<>())
                                .add(new Object[] {rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant()});
                    }
                }
            }
        }
        Map<String, List<long[]>> spans = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT node_id, pool, backend, state, observed_at FROM health_observation "
                + "WHERE (?::text IS NULL OR pool = ?)")) {
            ps.setString(1, pool);
            ps.setString(2, pool);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!connected.contains(rs.getString(1))) {
                        continue;
                    }
                    String target = rs.getString(2) + "/" + rs.getString(3);
                    List<Object[]> inWindow = transitions.getOrDefault(rs.getString(1) + "\n" + target, List.of());
                    List<long[]> out = spans.computeIfAbsent(target, k -> new ArrayList<>());
                    if (inWindow.isEmpty()) {
                        if (down(rs.getString(4))) {
                            out.add(new long[] {Math.max(from.toEpochMilli(), rs.getTimestamp(5).getTime()), to.toEpochMilli()});
                        }
                        continue;
                    }
                    String state = (String) inWindow.get(0)[0];
                    long at = from.toEpochMilli();
                    for (Object[] t : inWindow) {
                        long next = Math.min(to.toEpochMilli(), ((Instant) t[2]).toEpochMilli());
                        if (down(state) && next > at) {
                            out.add(new long[] {at, next});
                        }
                        state = (String) t[1];
                        at = Math.max(at, next);
                    }
                    if (down(state) && to.toEpochMilli() > at) {
                        out.add(new long[] {at, to.toEpochMilli()});
                    }
                }
            }
        }
        Map<String, Long> result = new HashMap<>();
        spans.forEach((target, list) -> result.put(target, union(list)));
        return result;
    }

    /** Total length of the union of [start, end) spans. */
    static long union(List<long[]> spans) {
        List<long[]> sorted = new ArrayList<>(spans);
        sorted.sort((a, b) -> Long.compare(a[0], b[0]));
        long total = 0;
        long start = Long.MIN_VALUE;
        long end = Long.MIN_VALUE;
        for (long[] s : sorted) {
            if (s[0] > end) {
                if (end > start) {
                    total += end - start;
                }
                start = s[0];
                end = s[1];
            } else {
                end = Math.max(end, s[1]);
            }
        }
        if (end > start) {
            total += end - start;
        }
        return total;
    }
}
