package io.ballast.controlplane;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real PostgreSQL for {@code @QuarkusTest}s: a temporary data directory on a random port, and the
 * known admin and data-plane secrets the tests authenticate with.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {
    public static final String ADMIN_TOKEN = "test-admin-secret-0123456789";
    public static final String DATAPLANE_TOKEN = "test-dataplane-secret-0123456789";

    private EmbeddedPostgres postgres;

    @Override
    public Map<String, String> start() {
        try {
            postgres = EmbeddedPostgres.builder().start();
            Path dataDir = Files.createTempDirectory("ballast-cp-test");
            return Map.of(
                    "quarkus.datasource.jdbc.url", postgres.getJdbcUrl("postgres", "postgres"),
                    "quarkus.datasource.username", "postgres",
                    "ballast.data-dir", dataDir.toString(),
                    "ballast.admin-token", ADMIN_TOKEN,
                    "ballast.dataplane-token", DATAPLANE_TOKEN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
