package io.ballast.controlplane.health;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.TreeSet;

/**
 * Writes one node's report of a transition into the history and files it under the transition it belongs to:
 * every data plane probes every backend and reports the same change on its own, and an operator wants to read
 * "healthy → unhealthy on dp-1, dp-2" once. A report joins the oldest transition of the same backend to the
 * same state that another node reported within {@link #JOIN_WINDOW_SECONDS}, that this node is not part of yet, and
 * that is newer than the transition of this node's previous report of that same state (so a flapping backend's
 * reports never join an older flap). Neither the reason nor the state left must match: one node's probe times out
 * where another's is refused, and a node's first look at a backend may already find it down where another's saw it
 * "initial" first; that is still one backend going down. Used inside the caller's
 * transaction, after {@link #lock}.
 */
final class HealthEventInsert {
    /** Data planes probe on their own phase and a loaded one reports late; beyond this they are separate changes. */
    static final int JOIN_WINDOW_SECONDS = 30;
    /** The two-key advisory locks of this class live in their own space, apart from the one-key config and token locks. */
    private static final int LOCK_SPACE = 18;

    static final String SQL = """
            INSERT INTO health_event (node_id, pool, backend, state, reason, observed_at, received_at, from_state, transition_id)
            SELECT ?, ?, ?, ?, ?, ?, ?, ?, (
                SELECT min(COALESCE(e.transition_id, e.id)) FROM health_event e
                WHERE e.pool = r.pool AND e.backend = r.backend AND e.state = r.state AND e.node_id <> r.node
                  AND e.observed_at BETWEEN r.at - make_interval(secs => %1$d) AND r.at + make_interval(secs => %1$d)
                  AND COALESCE(e.transition_id, e.id) > COALESCE((
                      SELECT COALESCE(m.transition_id, m.id) FROM health_event m
                      WHERE m.node_id = r.node AND m.pool = r.pool AND m.backend = r.backend AND m.state = r.state
                      ORDER BY m.id DESC LIMIT 1), 0)
                  AND NOT EXISTS (SELECT 1 FROM health_event x
                      WHERE COALESCE(x.transition_id, x.id) = COALESCE(e.transition_id, e.id) AND x.node_id = r.node))
            FROM (SELECT ?::text AS node, ?::text AS pool, ?::text AS backend, ?::text AS state, ?::timestamptz AS at) r
            """.formatted(JOIN_WINDOW_SECONDS);

    private HealthEventInsert() {
    }

    static PreparedStatement prepare(Connection c) throws SQLException {
        return c.prepareStatement(SQL);
    }

    /** Binds one report and adds it to the statement's batch. */
    static void add(PreparedStatement ps, String nodeId, String pool, String backend, String state, String reason, Timestamp at,
                    Timestamp received, String from) throws SQLException {
        ps.setString(1, nodeId);
        ps.setString(2, pool);
        ps.setString(3, backend);
        ps.setString(4, state);
        ps.setString(5, reason);
        ps.setTimestamp(6, at);
        ps.setTimestamp(7, received);
        ps.setString(8, from);
        ps.setString(9, nodeId);
        ps.setString(10, pool);
        ps.setString(11, backend);
        ps.setString(12, state);
        ps.setTimestamp(13, at);
        ps.addBatch();
    }

    /**
     * Serializes the reports of these backends ({@code pool/backend} keys) with those other control-plane instances
     * store at the same moment, until the transaction ends: two nodes' reports of one change, arriving at two
     * instances together, would otherwise each start a transition of their own. Taken in key order (no deadlock).
     */
    static void lock(Connection c, Collection<String> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(pg_advisory_xact_lock(" + LOCK_SPACE + ", hashtext(k))) FROM (SELECT k FROM unnest(?::text[]) AS k ORDER BY k) s")) {
            ps.setArray(1, c.createArrayOf("text", new TreeSet<>(keys).toArray()));
            ps.executeQuery().close();
        }
    }
}
