package io.ballast.e2e;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A real PostgreSQL owned by the test: several control-plane processes share it, and the test can
 * stop it and start it again on the same port and data directory (an outage, then recovery).
 */
final class SharedDatabase implements AutoCloseable {
    static final String USER = "postgres";
    static final String PASSWORD = "postgres";

    private final File dataDir = ManagedProcess.tempDir("ballast-e2e-pg");
    private final int port = Ports.free();
    private EmbeddedPostgres postgres;

    static SharedDatabase start() {
        SharedDatabase db = new SharedDatabase();
        db.startServer();
        return db;
    }

    void startServer() {
        try {
            postgres = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDir).setCleanDataDirectory(false).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void stopServer() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        postgres = null;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
    }

    @Override
    public void close() {
        if (postgres != null) {
            stopServer();
        }
    }
}
