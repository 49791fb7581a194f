package io.ballast.controlplane.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads fleet-wide health: the aggregate per backend over the connected data planes, and the history.
 * Plain read-only JDBC in autocommit mode, so a caller that polls (a drain waiting) never holds a
 * transaction open between polls. Blocking: call from worker threads. Thread-safe.
 */
@ApplicationScoped
public class HealthQueries {
    /** The window {@link BackendHealth#downSeconds()} covers: the console's 15-minute view. */
    public static final Duration DOWNTIME_WINDOW = Duration.ofMinutes(15);
    private final DataSource db;
    private final Duration staleAfter;

    HealthQueries(DataSource db, @ConfigProperty(name = "ballast.dataplanes.stale-after") Duration staleAfter) {
        this.db = db;
        this.staleAfter = staleAfter;
    }

    /** Every backend (of {@code pool}, or of every pool when null), ordered by pool and name. */
    public List<BackendHealth> backends(String pool) {
        try (Connection c = db.getConnection()) {
            List<String[]> configured = new ArrayList<>();
            byPool(c, "SELECT p.name, b.name, b.admin_state FROM backends b JOIN pools p ON p.id = b.pool_id "
                    + "WHERE (?::text IS NULL OR p.name = ?) ORDER BY p.name, b.name", pool,
                    rs -> configured.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}));
            List<String> nodes = connectedNodes(c);
            Map<String, Map<String, HealthAggregator.Observed>> observed = new HashMap<>();
            byPool(c, "SELECT o.node_id, o.pool, o.backend, o.state, o.reason, o.observed_at, o.received_at, o.in_flight "
                    + "FROM health_observation o WHERE (?::text IS NULL OR o.pool = ?)", pool,
                    rs -> observed.computeIfAbsent(rs.getString(2) + "/" + rs.getString(3), k -> new HashMap<>())
                            .put(rs.getString(1), new HealthAggregator.Observed(rs.getString(4), rs.getString(5),
                                    rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant(), (Integer) rs.getObject(8))));
            // Read before the rows: a replacement committed in between then pairs new rows with an older time, which
            // only makes a left-out backend count as idle later, never earlier.
            Map<String, Instant> inFlightAt = inFlightTimes(c);
            Map<String, Map<String, HealthAggregator.InFlight>> inFlight = new HashMap<>();
            byPool(c, "SELECT f.node_id, f.pool, f.backend, f.in_flight, f.received_at "
                    + "FROM backend_in_flight f WHERE (?::text IS NULL OR f.pool = ?)", pool,
                    rs -> inFlight.computeIfAbsent(rs.getString(2) + "/" + rs.getString(3), k -> new HashMap<>())
                            .put(rs.getString(1), new HealthAggregator.InFlight(rs.getInt(4), rs.getTimestamp(5).toInstant())));
            Instant now = Instant.now();
            Map<String, Long> down = Downtime.millis(c, pool, nodes, now.minus(DOWNTIME_WINDOW), now);
            List<BackendHealth> out = new ArrayList<>();
            for (String[] b : configured) {
                String key = b[0] + "/" + b[1];
                out.add(HealthAggregator.aggregate(b[0], b[1], b[2], nodes, observed.getOrDefault(key, Map.of()),
                        inFlight.getOrDefault(key, Map.of()), inFlightAt).withDowntime(down.getOrDefault(key, 0L) / 1000, DOWNTIME_WINDOW));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read backend health", e);
        }
    }

    /** One backend's fleet-wide health, or empty when it is not configured. */
    public Optional<BackendHealth> backend(String pool, String backend) {
        return backends(pool).stream().filter(h -> h.backend().equals(backend)).findFirst();
    }

    /**
     * Transitions in arrival order, filtered; {@code after} is the cursor (an event id) of the previous page.
     * Fetches {@code limit + 1} so the caller can tell whether more exist.
     */
    public List<HealthEvent> events(String pool, String backend, Instant since, long after, int limit) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, node_id, pool, backend, state, reason, observed_at, received_at, from_state "
                     + "FROM health_event WHERE id > ? AND (?::text IS NULL OR pool = ?) AND (?::text IS NULL OR backend = ?) "
                     + "AND (?::timestamptz IS NULL OR observed_at >= ?) ORDER BY id LIMIT ?")) {
            bindFilter(ps, pool, backend, since, after, limit);
            List<HealthEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(report(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read health events", e);
        }
    }

    /**
     * Transitions with a report newer than {@code after} (a report id), filtered, each with all its reports (also the
     * older ones), ordered by their newest such report: at most {@code limit + 1}, so the caller can tell whether more
     * exist. A transition another data plane reports later comes again after that report, complete, with its id.
     */
    public List<Touched> transitions(String pool, String backend, Instant since, long after, int limit) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     WITH touched AS (
                         SELECT COALESCE(transition_id, id) AS transition, max(id) AS newest FROM health_event
                         WHERE id > ? AND (?::text IS NULL OR pool = ?) AND (?::text IS NULL OR backend = ?)
                           AND (?::timestamptz IS NULL OR observed_at >= ?)
                         GROUP BY 1 ORDER BY 2 LIMIT ?)
                     SELECT e.id, e.node_id, e.pool, e.backend, e.state, e.reason, e.observed_at, e.received_at, e.from_state,
                            t.transition, t.newest
                     FROM touched t JOIN health_event e ON COALESCE(e.transition_id, e.id) = t.transition
                     ORDER BY t.newest, e.id""")) {
            bindFilter(ps, pool, backend, since, after, limit);
            List<HealthEvent> reports = new ArrayList<>();
            List<Long> transitionIds = new ArrayList<>();
            List<Long> newest = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reports.add(report(rs));
                    transitionIds.add(rs.getLong(10));
                    if (newest.isEmpty() || transitionIds.size() < 2 || transitionIds.get(transitionIds.size() - 2) != rs.getLong(10)) {
                        newest.add(rs.getLong(11));
                    }
                }
            }
            List<HealthTransition> grouped = HealthTransition.of(reports, transitionIds);
            List<Touched> out = new ArrayList<>(grouped.size());
            for (int i = 0; i < grouped.size(); i++) {
                out.add(new Touched(grouped.get(i), newest.get(i)));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read health events", e);
        }
    }

    /** A transition and the id of its newest report that matched the query (the paging cursor). */
    public record Touched(HealthTransition transition, long newestMatching) {
    }

    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    /** Runs {@code sql}, whose two parameters are the optional pool filter, and hands each row to {@code row}. */
    private static void byPool(Connection c, String sql, String pool, Row row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, pool);
            ps.setString(2, pool);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.read(rs);
                }
            }
        }
    }

    /** Data planes with a live socket: flagged connected and heard from within the staleness window. */
    /** When each connected node's in-flight counts were last replaced (nodes without a heartbeat yet are absent). */
    private Map<String, Instant> inFlightTimes(Connection c) throws SQLException {
        Map<String, Instant> at = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT node_id, in_flight_at FROM dataplanes WHERE connected AND last_seen > ? AND in_flight_at IS NOT NULL")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now().minus(staleAfter)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    at.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                }
            }
        }
        return at;
    }

    private List<String> connectedNodes(Connection c) throws SQLException {
        List<String> nodes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT node_id FROM dataplanes WHERE connected AND last_seen > ? ORDER BY node_id")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now().minus(staleAfter)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    nodes.add(rs.getString(1));
                }
            }
        }
        return nodes;
    }

    /** The filter both event queries share: the cursor, pool, backend, since, and {@code limit + 1} rows. */
    private static void bindFilter(PreparedStatement ps, String pool, String backend, Instant since, long after, int limit)
            throws SQLException {
        ps.setLong(1, after);
        ps.setString(2, pool);
        ps.setString(3, pool);
        ps.setString(4, backend);
        ps.setString(5, backend);
        Timestamp ts = since == null ? null : Timestamp.from(since);
        ps.setTimestamp(6, ts);
        ps.setTimestamp(7, ts);
        ps.setInt(8, limit + 1);
    }

    /** One report, from the columns id, node_id, pool, backend, state, reason, observed_at, received_at, from_state. */
    private static HealthEvent report(ResultSet rs) throws SQLException {
        return new HealthEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(9),
                rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant());
    }
}
