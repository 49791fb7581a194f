package io.ballast.controlplane.health;

import io.ballast.wire.v1.ProbeVerdicts;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The active-check verdicts of each node for each backend, read from {@code health_observation} (so observations
 * reported to any control-plane instance count), for relaying the probers' verdicts to the data planes that do not
 * probe a backend themselves. Each {@link #refresh} reads only rows received since the last one (minus a margin for
 * clocks of other instances and commits in flight). Only a node's last reported state matters: {@code healthy} and
 * {@code ejected} (ejection is passive, the node's own; its active check passes) count as up, {@code unhealthy} as
 * down; {@code initial}, {@code draining} and {@code disabled} say nothing about the active check.
 * Blocking JDBC: call from a worker. Not thread-safe: its one caller serializes.
 */
@ApplicationScoped
public class ProberVerdicts {
    private static final Duration OVERLAP = Duration.ofSeconds(5);

    private final DataSource db;
    /** {@code pool/backend} → node → verdict. */
    private final Map<String, Map<String, ProbeVerdicts.Verdict>> byBackend = new HashMap<>();
    private Instant readUpTo;

    ProberVerdicts(DataSource db) {
        this.db = db;
    }

    /** Reads the observations received since the last refresh. */
    public void refresh() throws SQLException {
        Instant started = Instant.now();
        try (Connection c = db.getConnection();
             PreparedStatement q = c.prepareStatement(readUpTo == null
                     ? "SELECT node_id, pool, backend, state, reason FROM health_observation"
                     : "SELECT node_id, pool, backend, state, reason FROM health_observation WHERE received_at > ?")) {
            if (readUpTo != null) {
                q.setTimestamp(1, Timestamp.from(readUpTo.minus(OVERLAP)));
            }
            try (ResultSet rows = q.executeQuery()) {
                while (rows.next()) {
                    String node = rows.getString(1);
                    String pool = rows.getString(2);
                    String backend = rows.getString(3);
                    String state = rows.getString(4);
                    String reason = rows.getString(5);
                    Map<String, ProbeVerdicts.Verdict> nodes = byBackend.computeIfAbsent(pool + "/" + backend, k -> new HashMap<>());
                    ProbeVerdicts.Verdict v = switch (state) {
                        case "healthy", "ejected" -> new ProbeVerdicts.Verdict(pool, backend, true, "healthy");
                        case "unhealthy" -> new ProbeVerdicts.Verdict(pool, backend, false, reason);
                        default -> null;
                    };
                    if (v == null) {
                        nodes.remove(node);
                    } else {
                        nodes.put(node, v);
                    }
                }
            }
        }
        readUpTo = started;
    }

    /**
     * The verdict of {@code probers} on one backend: healthy when at least half of those with a verdict say so (a
     * single prober that cannot reach a backend does not take it out everywhere), null when none has one yet.
     */
    public ProbeVerdicts.Verdict of(String pool, String backend, Collection<String> probers) {
        Map<String, ProbeVerdicts.Verdict> nodes = byBackend.get(pool + "/" + backend);
        if (nodes == null) {
            return null;
        }
        int up = 0;
        int down = 0;
        ProbeVerdicts.Verdict failing = null;
        for (String p : probers) {
            ProbeVerdicts.Verdict v = nodes.get(p);
            if (v == null) {
                continue;
            }
            if (v.healthy()) {
                up++;
            } else {
                down++;
                failing = failing == null ? v : failing;
            }
        }
        if (up + down == 0) {
            return null;
        }
        return up >= down ? new ProbeVerdicts.Verdict(pool, backend, true, "healthy") : failing;
    }
}
