package io.ballast.controlplane.health;

import io.ballast.wire.v1.HealthReport;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.ArrayList;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Writes what data planes report: health transitions (current observation per node and backend, plus the
 * history) and the in-flight counts of heartbeats. Plain JDBC because both are upserts; each call is one
 * short local transaction on a worker thread (the socket handler's), never an event loop. Thread-safe.
 */
@ApplicationScoped
public class HealthStore {
    private static final Logger LOG = Logger.getLogger(HealthStore.class);
    /** Keys are {@code pool/backend}; a key without a slash is not ours and is skipped. */
    private static final char KEY_SEPARATOR = '/';

    private final DataSource db;

    HealthStore(DataSource db) {
        this.db = db;
    }

    /**
     * Stores a batch of transitions of {@code nodeId}, in the order the data plane sent them. A report
     * that repeats the stored state and reason (a data plane re-sending its view after a reconnect) is
     * not a transition and adds no event. A transition stamped earlier than the state it leaves (a data
     * plane that reports when its checker last changed, not when the admin state did) is stamped with
     * its arrival instead, so a backend's history never runs backwards.
     */
    public void observed(String nodeId, HealthReport report) {
        if (report.observations().isEmpty()) {
            return;
        }
        Timestamp received = Timestamp.from(Instant.now());
        List<HealthReport.Observation> usable = new ArrayList<>();
        for (HealthReport.Observation o : report.observations()) {
            if (usable(o)) {
                usable.add(o);
            } else {
                LOG.debugf("Ignored an incomplete health observation from %s", nodeId);
            }
        }
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement upsert = c.prepareStatement("""
                    INSERT INTO health_observation (node_id, pool, backend, state, reason, observed_at, received_at, in_flight)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (node_id, pool, backend) DO UPDATE SET state = EXCLUDED.state, reason = EXCLUDED.reason,
                        observed_at = EXCLUDED.observed_at, received_at = EXCLUDED.received_at, in_flight = EXCLUDED.in_flight""");
                 PreparedStatement event = HealthEventInsert.prepare(c)) {
                // One read of what is stored for the reported backends, then two batches: a report of thousands
                // of backends (a data plane's first report) is three round trips, not three per backend.
                Map<String, Stored> current = stored(c, nodeId, usable);
                Map<String, PendingUpsert> upserts = new LinkedHashMap<>();
                List<String> changed = new ArrayList<>();
                for (HealthReport.Observation o : usable) {
                    String key = o.pool() + KEY_SEPARATOR + o.backend();
                    String reason = o.reason() == null ? o.state() : o.reason();
                    Timestamp at = Timestamp.from(Instant.ofEpochMilli(o.at()));
                    Stored before = current.get(key);
                    String from = null;
                    if (before != null) {
                        from = before.state();
                        if (from.equals(o.state()) && reason.equals(before.reason())) {
                            continue;
                        }
                        if (at.before(before.at())) {
                            at = received;
                        }
                    }
                    // A batch may report the same backend twice: the second sees the first.
                    current.put(key, new Stored(o.state(), reason, at));
                    upserts.put(key, new PendingUpsert(o, reason, at));
                    HealthEventInsert.add(event, nodeId, o.pool(), o.backend(), o.state(), reason, at, received, from);
                    changed.add(key);
                }
                for (PendingUpsert u : upserts.values()) {
                    bind(upsert, nodeId, u.observation(), u.reason(), u.at(), received);
                    upsert.setObject(8, u.observation().inFlight() == null ? null : Math.max(0, u.observation().inFlight()),
                            java.sql.Types.INTEGER);
                    upsert.addBatch();
                }
                upsert.executeBatch();
                HealthEventInsert.lock(c, changed);
                event.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            LOG.warnf("Could not store %d health observations of %s: %s", report.observations().size(), nodeId, e.getMessage());
        }
    }

    private record Stored(String state, String reason, Timestamp at) {
    }

    private record PendingUpsert(HealthReport.Observation observation, String reason, Timestamp at) {
    }

    /** What is stored for {@code nodeId} about the backends of {@code observations}, by {@code pool/backend}. */
    private static Map<String, Stored> stored(Connection c, String nodeId, List<HealthReport.Observation> observations)
            throws SQLException {
        Map<String, Stored> result = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement("""
                SELECT o.pool, o.backend, o.state, o.reason, o.observed_at FROM health_observation o
                JOIN unnest(?::text[], ?::text[]) AS r(pool, backend) ON o.pool = r.pool AND o.backend = r.backend
                WHERE o.node_id = ?""")) {
            select.setArray(1, c.createArrayOf("text", observations.stream().map(HealthReport.Observation::pool).toArray()));
            select.setArray(2, c.createArrayOf("text", observations.stream().map(HealthReport.Observation::backend).toArray()));
            select.setString(3, nodeId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1) + KEY_SEPARATOR + rs.getString(2), new Stored(rs.getString(3), rs.getString(4), rs.getTimestamp(5)));
                }
            }
        }
        return result;
    }

    private static void bind(PreparedStatement ps, String nodeId, HealthReport.Observation o, String reason, Timestamp at,
                             Timestamp received) throws SQLException {
        ps.setString(1, nodeId);
        ps.setString(2, o.pool());
        ps.setString(3, o.backend());
        ps.setString(4, o.state());
        ps.setString(5, reason);
        ps.setTimestamp(6, at);
        ps.setTimestamp(7, received);
    }

    /** Replaces the in-flight counts of {@code nodeId} with those of its latest heartbeat. */
    public void inFlight(String nodeId, Map<String, Integer> counts) {
        Timestamp received = Timestamp.from(Instant.now());
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM backend_in_flight WHERE node_id = ?");
                 PreparedStatement insert = c.prepareStatement("""
                         INSERT INTO backend_in_flight (node_id, pool, backend, in_flight, received_at) VALUES (?, ?, ?, ?, ?)
                         ON CONFLICT (node_id, pool, backend) DO UPDATE SET in_flight = EXCLUDED.in_flight""")) {
                delete.setString(1, nodeId);
                delete.executeUpdate();
                for (Map.Entry<String, Integer> e : counts.entrySet()) {
                    int slash = e.getKey().indexOf(KEY_SEPARATOR);
                    if (slash <= 0 || slash == e.getKey().length() - 1 || e.getValue() == null) {
                        continue;
                    }
                    insert.setString(1, nodeId);
                    insert.setString(2, e.getKey().substring(0, slash));
                    insert.setString(3, e.getKey().substring(slash + 1));
                    insert.setInt(4, Math.max(0, e.getValue()));
                    insert.setTimestamp(5, received);
                    insert.addBatch();
                }
                insert.executeBatch();
                // As of now a backend without a row has none in flight: heartbeats leave idle enabled backends out.
                try (PreparedStatement at = c.prepareStatement("UPDATE dataplanes SET in_flight_at = ? WHERE node_id = ?")) {
                    at.setTimestamp(1, received);
                    at.setString(2, nodeId);
                    at.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            LOG.warnf("Could not store the in-flight counts of %s: %s", nodeId, e.getMessage());
        }
    }

    private static boolean usable(HealthReport.Observation o) {
        return o.pool() != null && o.backend() != null && o.state() != null && o.at() > 0;
    }
}
