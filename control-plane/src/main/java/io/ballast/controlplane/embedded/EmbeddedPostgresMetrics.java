package io.ballast.controlplane.embedded;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * On {@code /q/metrics} when this process runs the embedded PostgreSQL: {@code ballast_embedded_postgres_up}
 * (1 while the postmaster runs), {@code ballast_embedded_postgres_deaths_total} (unexpected deaths) and
 * {@code ballast_embedded_postgres_restarts_total} (successful restarts after one). An alert on deaths says the
 * database is being killed (memory?) even when every restart succeeded.
 */
@Startup
@ApplicationScoped
public class EmbeddedPostgresMetrics {
    EmbeddedPostgresMetrics(MeterRegistry registry) {
        if (!EmbeddedPostgresStatus.enabled()) {
            return;
        }
        Gauge.builder("ballast.embedded.postgres.up", () -> EmbeddedPostgresStatus.up() ? 1 : 0)
                .description("1 while the embedded PostgreSQL's postmaster runs").register(registry);
        FunctionCounter.builder("ballast.embedded.postgres.deaths", EmbeddedPostgresStatus.class, c -> EmbeddedPostgresStatus.deaths())
                .description("Unexpected deaths of the embedded PostgreSQL's postmaster").register(registry);
        FunctionCounter.builder("ballast.embedded.postgres.restarts", EmbeddedPostgresStatus.class,
                        c -> EmbeddedPostgresStatus.restarts())
                .description("Restarts of the embedded PostgreSQL after a death").register(registry);
    }
}
