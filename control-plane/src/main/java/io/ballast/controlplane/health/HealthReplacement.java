package io.ballast.controlplane.health;

import io.ballast.wire.v1.HealthReport;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Replaces everything a node reported about backend health with the full state its {@code hello}
 * carries. Transitions are merged one by one ({@link HealthStore#observed}), but a hello starts a new
 * session: observations of an earlier session (or planted by someone who impersonated the node, or
 * reported while the control plane could not hear them) must not survive it. A backend whose state
 * differs from what was stored gets a history event, so the history shows what changed while the
 * node was away. One short local transaction on a worker thread. Thread-safe (stateless).
 */
@ApplicationScoped
public class HealthReplacement {
    private static final Logger LOG = Logger.getLogger(HealthReplacement.class);

    private final DataSource db;

    HealthReplacement(DataSource db) {
        this.db = db;
    }

    /** Makes {@code current} the whole stored health of {@code nodeId}; a backend reported twice keeps the last. */
    public void replace(String nodeId, List<HealthReport.Observation> current) {
        Map<String, HealthReport.Observation> byBackend = new LinkedHashMap<>();
        for (HealthReport.Observation o : current) {
            if (o != null && o.pool() != null && o.backend() != null && o.state() != null && o.at() > 0) {
                byBackend.put(o.pool() + '\n' + o.backend(), o);
            }
        }
        Timestamp received = Timestamp.from(Instant.now());
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                Map<String, String> before = stored(c, nodeId);
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM health_observation WHERE node_id = ?")) {
                    delete.setString(1, nodeId);
                    delete.executeUpdate();
                }
                try (PreparedStatement insert = c.prepareStatement("""
                        INSERT INTO health_observation (node_id, pool, backend, state, reason, observed_at, received_at, in_flight)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)""");
                     PreparedStatement event = HealthEventInsert.prepare(c)) {
                    List<String> changed = new ArrayList<>();
                    for (Map.Entry<String, HealthReport.Observation> e : byBackend.entrySet()) {
                        HealthReport.Observation o = e.getValue();
                        String reason = o.reason() == null ? o.state() : o.reason();
                        bind(insert, nodeId, o, reason, received);
                        insert.setObject(8, o.inFlight() == null ? null : Math.max(0, o.inFlight()), java.sql.Types.INTEGER);
                        insert.addBatch();
                        String was = before.get(e.getKey());
                        if (!(o.state() + '\n' + reason).equals(was)) {
                            HealthEventInsert.add(event, nodeId, o.pool(), o.backend(), o.state(), reason,
                                    Timestamp.from(Instant.ofEpochMilli(o.at())), received, was == null ? null : was.substring(0, was.indexOf('\n')));
                            changed.add(o.pool() + '/' + o.backend());
                        }
                    }
                    insert.executeBatch();
                    HealthEventInsert.lock(c, changed);
                    event.executeBatch();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            LOG.warnf("Could not replace the health state of %s with the %d observations of its hello: %s",
                    nodeId, byBackend.size(), e.getMessage());
        }
    }

    private static Map<String, String> stored(Connection c, String nodeId) throws SQLException {
        Map<String, String> result = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT pool, backend, state, reason FROM health_observation WHERE node_id = ? FOR UPDATE")) {
            select.setString(1, nodeId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1) + '\n' + rs.getString(2), rs.getString(3) + '\n' + rs.getString(4));
                }
            }
        }
        return result;
    }

    private static void bind(PreparedStatement ps, String nodeId, HealthReport.Observation o, String reason, Timestamp received)
            throws SQLException {
        ps.setString(1, nodeId);
        ps.setString(2, o.pool());
        ps.setString(3, o.backend());
        ps.setString(4, o.state());
        ps.setString(5, reason);
        ps.setTimestamp(6, Timestamp.from(Instant.ofEpochMilli(o.at())));
        ps.setTimestamp(7, received);
    }
}
