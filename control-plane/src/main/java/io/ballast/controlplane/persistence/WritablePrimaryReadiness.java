package io.ballast.controlplane.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness fails unless the database this instance writes to is a writable primary. Reaching a
 * server is not enough: a demoted primary or a replica answers, but refuses every write (SQLState
 * 25006), so a balancer in front of the control planes should send writes elsewhere until the
 * failover completes and the pool reaches the new primary.
 */
@Readiness
@ApplicationScoped
public class WritablePrimaryReadiness implements HealthCheck {
    private static final String NAME = "database-writable-primary";

    private final AgroalDataSource dataSource;

    WritablePrimaryReadiness(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public HealthCheckResponse call() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery() OR current_setting('transaction_read_only')::boolean")) {
            rs.next();
            boolean readOnly = rs.getBoolean(1);
            return HealthCheckResponse.named(NAME).status(!readOnly)
                    .withData("reason", readOnly ? "the database is read-only (a replica, or a demoted primary)" : "writable")
                    .build();
        } catch (SQLException | RuntimeException e) {
            return HealthCheckResponse.named(NAME).down().withData("reason", "no database connection: " + e.getMessage()).build();
        }
    }
}
