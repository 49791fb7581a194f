package io.ballast.controlplane.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs the embedded PostgreSQL and keeps it running: when the postmaster dies (SIGKILL, OOM killer, a crash)
 * it is started again on the same data directory and port, so the JDBC URL Quarkus was given stays right and
 * the connection pool recovers by itself. Restarts back off exponentially (0.5 s doubling to 30 s) while they
 * fail, e.g. while the dead postmaster's backends still hold its shared memory; each death and restart is
 * logged and counted ({@link EmbeddedPostgresStatus}).
 *
 * <p>Authentication is {@code scram-sha-256} for every connection, TCP and Unix socket, with the superuser's
 * password from a 0600 file ({@link PostgresPassword}); the library's own default is {@code trust}, which would
 * give any local user a superuser login. A data directory made by an older Ballast with {@code trust} is
 * converted at its first start. Thread-safe.
 */
public final class EmbeddedPostgresSupervisor implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresSupervisor.class);
    private static final long FIRST_RETRY_MILLIS = 500;
    private static final long MAX_RETRY_MILLIS = 30_000;
    static final String USER = "postgres";
    private static final String HBA = """
            # Written by Ballast: every connection needs the superuser password (see postgres-password beside it).
            local   all   all                  scram-sha-256
            host    all   all   127.0.0.1/32   scram-sha-256
            host    all   all   ::1/128        scram-sha-256
            """;

    private final Path pgDataDir;
    private final Path passwordFile;
    private final String password;
    private final ScheduledExecutorService restarter;
    private final Object lock = new Object();
    private EmbeddedPostgres current;
    private int port;
    private long postmasterPid;
    private boolean closed;

    private EmbeddedPostgresSupervisor(Path pgDataDir, Path passwordFile, String password) {
        this.pgDataDir = pgDataDir;
        this.passwordFile = passwordFile;
        this.password = password;
        this.restarter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ballast-embedded-postgres-supervisor");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts PostgreSQL on {@code pgDataDir} (created by initdb when new) and begins watching it.
     *
     * @param passwordFile where the superuser password is kept (created, 0600, when absent)
     */
    public static EmbeddedPostgresSupervisor start(Path pgDataDir, Path passwordFile) {
        try {
            Files.createDirectories(pgDataDir.getParent());
            EmbeddedPostgresSupervisor supervisor = new EmbeddedPostgresSupervisor(pgDataDir, passwordFile,
                    PostgresPassword.readOrCreate(passwordFile));
            stopLeftoverPostgres(pgDataDir);
            boolean trusting = trusts(pgDataDir);
            LOG.infof("Starting embedded PostgreSQL with its data in %s", pgDataDir);
            EmbeddedPostgres pg = supervisor.launch(0);
            if (trusting) {
                supervisor.requirePassword(pg);
            }
            synchronized (supervisor.lock) {
                supervisor.current = pg;
                supervisor.port = pg.getPort();
            }
            EmbeddedPostgresStatus.started();
            supervisor.watch(pg);
            LOG.infof("Embedded PostgreSQL is listening on 127.0.0.1:%d (password authentication)", pg.getPort());
            return supervisor;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + pgDataDir, e);
        }
    }

    /** Without credentials (the library's own URL would carry its connect settings, the password among them). */
    public String jdbcUrl() {
        synchronized (lock) {
            return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        }
    }

    public String user() {
        return USER;
    }

    /** The superuser password; hand it to the connection pool, never to a log. */
    public String password() {
        return password;
    }

    /** The postmaster's process id now (it changes with each restart). */
    public long pid() {
        synchronized (lock) {
            return postmasterPid;
        }
    }

    private EmbeddedPostgres launch(int fixedPort) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(pgDataDir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                // initdb options (the library passes these as --key=value after its own -A trust, so they win):
                // a fresh cluster never accepts a connection without the password.
                .setLocaleConfig("auth-host", "scram-sha-256")
                .setLocaleConfig("auth-local", "scram-sha-256")
                .setLocaleConfig("pwfile", passwordFile.toString())
                // The library's defaults (-F, synchronous_commit=off) suit throwaway test databases; here the
                // directory is the control plane's only state, so a power cut must not lose a commit.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("password_encryption", "scram-sha-256")
                // The library's readiness check logs in; with trust gone it needs the password too.
                .setConnectConfig("password", password);
        if (fixedPort > 0) {
            builder.setPort(fixedPort);
        }
        return builder.start();
    }

    /**
     * Watches the postmaster itself: the library starts it through {@code pg_ctl}, whose process exits at once,
     * so the process to watch is the one named in {@code postmaster.pid}.
     */
    private void watch(EmbeddedPostgres pg) throws IOException {
        long pid = postmasterPid(pgDataDir);
        ProcessHandle postmaster = ProcessHandle.of(pid)
                .orElseThrow(() -> new IOException("the embedded PostgreSQL (pid " + pid + ") is not running"));
        synchronized (lock) {
            postmasterPid = pid;
        }
        postmaster.onExit().thenRun(() -> {
            synchronized (lock) {
                if (closed || current != pg) {
                    return;
                }
            }
            EmbeddedPostgresStatus.died();
            LOG.errorf("Embedded PostgreSQL (pid %d) died; restarting it on %s", pid, pgDataDir);
            restarter.execute(() -> restart(pg, 1, FIRST_RETRY_MILLIS));
        });
    }

    private static long postmasterPid(Path pgDataDir) throws IOException {
        String first = Files.readAllLines(pgDataDir.resolve("postmaster.pid")).stream().findFirst().orElse("").trim();
        try {
            return Long.parseLong(first);
        } catch (NumberFormatException e) {
            throw new IOException("postmaster.pid in " + pgDataDir + " names no process", e);
        }
    }

    private void restart(EmbeddedPostgres dead, int attempt, long delayMillis) {
        EmbeddedPostgres fresh;
        int samePort;
        synchronized (lock) {
            if (closed) {
                return;
            }
            samePort = port;
        }
        try {
            // Releases the library's lock on the data directory (its pg_ctl stop fails on a dead server and is only logged).
            dead.close();
            fresh = launch(samePort);
        } catch (IOException | RuntimeException e) {
            retryLater(dead, attempt, delayMillis, e);
            return;
        }
        boolean keep;
        synchronized (lock) {
            keep = !closed;
            if (keep) {
                current = fresh;
            }
        }
        if (!keep) {
            closeQuietly(fresh);
            return;
        }
        try {
            watch(fresh);
        } catch (IOException | RuntimeException e) {
            retryLater(fresh, attempt, delayMillis, e);
            return;
        }
        EmbeddedPostgresStatus.restarted();
        LOG.warnf("Embedded PostgreSQL restarted after %d attempt(s) (restart #%d), pid %d, listening on 127.0.0.1:%d",
                attempt, EmbeddedPostgresStatus.restarts(), pid(), samePort);
    }

    private void retryLater(EmbeddedPostgres dead, int attempt, long delayMillis, Exception e) {
        long next = Math.min(MAX_RETRY_MILLIS, delayMillis * 2);
        LOG.warnf("Embedded PostgreSQL restart attempt %d failed (%s); next attempt in %d ms", attempt, e.getMessage(), delayMillis);
        restarter.schedule(() -> restart(dead, attempt + 1, next), delayMillis, TimeUnit.MILLISECONDS);
    }

    /** A data directory from an older Ballast, whose pg_hba.conf lets anyone in without a password. */
    private static boolean trusts(Path pgDataDir) throws IOException {
        Path hba = pgDataDir.resolve("pg_hba.conf");
        return Files.isRegularFile(hba) && Files.readAllLines(hba).stream()
                .map(String::trim)
                .anyMatch(line -> !line.startsWith("#") && line.matches(".*\\btrust\\b.*"));
    }

    /** Sets the superuser password (while trust still lets us in), then requires it of every connection. */
    private void requirePassword(EmbeddedPostgres pg) throws IOException {
        LOG.warnf("The embedded PostgreSQL in %s accepted connections without a password (trust); requiring one now", pgDataDir);
        Properties props = new Properties();
        props.setProperty("user", USER);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres", props);
             Statement s = c.createStatement()) {
            s.execute("SET password_encryption = 'scram-sha-256'");
            s.execute("ALTER ROLE " + USER + " PASSWORD '" + password + "'");
            Path hba = pgDataDir.resolve("pg_hba.conf");
            Path tmp = pgDataDir.resolve("pg_hba.conf.tmp");
            Files.writeString(tmp, HBA, StandardCharsets.US_ASCII);
            Files.move(tmp, hba, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("could not set the embedded PostgreSQL's password: " + e.getMessage(), e);
        }
    }

    /**
     * A control plane that was killed (SIGKILL, OOM) leaves its embedded PostgreSQL running and holding the data
     * directory's lock, so the next start would fail. Ask that orphan to shut down (SIGTERM: smart shutdown; it
     * has no clients left) and wait for it, instead of asking the operator to find and kill it by hand.
     */
    private static void stopLeftoverPostgres(Path pgDataDir) throws IOException {
        Path pidFile = pgDataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        String firstLine = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
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

    /** Stops watching, then stops PostgreSQL (fast shutdown through pg_ctl). Idempotent. */
    @Override
    public void close() {
        EmbeddedPostgres pg;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            pg = current;
        }
        restarter.shutdownNow();
        EmbeddedPostgresStatus.stopped();
        closeQuietly(pg);
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
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
