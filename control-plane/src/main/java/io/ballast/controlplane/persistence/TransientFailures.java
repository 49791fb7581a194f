package io.ballast.controlplane.persistence;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Tells whether a failure means "the database (or its primary) is away for now", so the work can be
 * retried on another connection, possibly to another server after a failover, as opposed to a
 * failure of the work itself (a constraint, a bad value, a bug), which a retry would only repeat.
 * SQLStates from https://www.postgresql.org/docs/current/errcodes-appendix.html.
 */
public final class TransientFailures {
    /**
     * 25006 read_only_sql_transaction (connected to a demoted primary or a replica), 57P01
     * admin_shutdown (fast shutdown, Patroni demotion), 57P02 crash_shutdown (a sibling backend
     * crashed), 57P03 cannot_connect_now (starting up, recovery), 40001/40P01 serialization failure and
     * deadlock (always safe to retry by definition), 53300 too_many_connections.
     */
    private static final Set<String> STATES = Set.of("25006", "57P01", "57P02", "57P03", "40001", "40P01", "53300");

    private TransientFailures() {
    }

    /** Whether {@code failure} or one of its causes is a transient database failure. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && isTransientState(sql.getSQLState())) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() == null && isPoolTimeout(sql)) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (isTransient(suppressed)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Class 08 (connection exception) and the states listed above. */
    static boolean isTransientState(String state) {
        return state != null && (state.startsWith("08") || STATES.contains(state));
    }

    /**
     * Agroal's "Sorry, acquisition timeout!": every connection attempt failed or hung for the whole
     * acquisition timeout, which happens while no primary accepts connections.
     */
    private static boolean isPoolTimeout(SQLException sql) {
        return sql.getMessage() != null && sql.getMessage().contains("acquisition timeout");
    }
}
