package io.ballast.e2e;

import static io.ballast.e2e.E2e.created;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, finding 7, with the packaged control plane on its own embedded PostgreSQL: the postmaster killed with
 * SIGKILL is restarted by the control plane, whose API recovers by itself with nothing lost; and the database
 * takes no connection without the generated password.
 */
class EmbeddedPostgresSupervisionEndToEndTest {
    private final Closer closer = new Closer();

    @AfterEach
    void stopEverything() throws Exception {
        closer.close();
    }

    private static long postmasterPid(File dataDir) throws Exception {
        return Long.parseLong(Files.readAllLines(dataDir.toPath().resolve("postgres/postmaster.pid")).get(0).trim());
    }

    private static int postgresPort(File dataDir) throws Exception {
        // postmaster.pid, line 4: the port (PostgreSQL's documented lock-file layout).
        return Integer.parseInt(Files.readAllLines(dataDir.toPath().resolve("postgres/postmaster.pid")).get(3).trim());
    }

    @Test
    void aKilledPostmasterIsRestartedAndTheApiRecoversByItself() throws Exception {
        File dataDir = ManagedProcess.tempDir("ballast-e2e-pg-kill");
        ControlPlane cp = closer.later(ControlPlane.start("e2e-cp-pg-kill", dataDir));
        Http api = cp.admin();
        created(api.post("/pools", "{\"name\": \"before\"}"));
        long pid = postmasterPid(dataDir);

        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        assertThat(postmaster.destroyForcibly()).isTrue();
        postmaster.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);

        long killedAt = System.nanoTime();
        await("the API answers again without anyone restarting PostgreSQL").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    HttpResponse<String> pools = api.tryGet("/pools/before");
                    return pools != null && pools.statusCode() == 200;
                });
        long recoveredMillis = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.println("API recovered " + recoveredMillis + " ms after the postmaster was killed");
        created(api.post("/pools", "{\"name\": \"after\"}"));
        assertThat(postmasterPid(dataDir)).isNotEqualTo(pid);
        assertThat(cp.output()).contains("Embedded PostgreSQL (pid " + pid + ") died").contains("Embedded PostgreSQL restarted");

        String metrics = new Http(cp.url(), null).get("/q/metrics").body();
        assertThat(metrics).contains("ballast_embedded_postgres_restarts_total 1.0")
                .contains("ballast_embedded_postgres_deaths_total 1.0")
                .contains("ballast_embedded_postgres_up 1.0");
    }

    @Test
    void theEmbeddedDatabaseRequiresTheGeneratedPasswordKeptInAnOwnerOnlyFile() throws Exception {
        File dataDir = ManagedProcess.tempDir("ballast-e2e-pg-auth");
        ControlPlane cp = closer.later(ControlPlane.start("e2e-cp-pg-auth", dataDir));
        Path passwordFile = dataDir.toPath().resolve("postgres-password");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
        String password = Files.readString(passwordFile).trim();
        assertThat(password).hasSizeGreaterThanOrEqualTo(40);
        assertThat(cp.output()).doesNotContain(password);
        assertThat(Files.readString(dataDir.toPath().resolve("postgres/pg_hba.conf")))
                .doesNotContainPattern("(?m)^[^#\\n]*\\btrust\\b");

        int port = postgresPort(dataDir);
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        for (String wrong : new String[] {null, "", "postgres", password + "x"}) {
            Properties props = new Properties();
            props.setProperty("user", "postgres");
            if (wrong != null) {
                props.setProperty("password", wrong);
            }
            assertThatThrownBy(() -> DriverManager.getConnection(url, props).close()).as("password " + wrong)
                    .isInstanceOf(SQLException.class);
        }
        Properties right = new Properties();
        right.setProperty("user", "postgres");
        right.setProperty("password", password);
        try (var c = DriverManager.getConnection(url, right)) {
            assertThat(c.isValid(2)).isTrue();
        }

        // A restart of the control plane reuses the data directory and the same password.
        cp.stop();
        cp.start();
        assertThat(Files.readString(passwordFile).trim()).isEqualTo(password);
        created(cp.admin().post("/pools", "{\"name\": \"after-restart\"}"));
    }

    @Test
    void aDataDirectoryOfAnOlderBallastThatTrustedEveryoneIsConvertedToPasswordsAtItsFirstStart() throws Exception {
        File dataDir = ManagedProcess.tempDir("ballast-e2e-pg-trust");
        // What Ballast 0.1 left behind: the library's defaults, trust for every local connection.
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dataDir.toPath().resolve("postgres"))
                .setCleanDataDirectory(false).start()) {
            assertThat(old.getPostgresDatabase().getConnection().isValid(2)).isTrue();
        }
        assertThat(Files.readString(dataDir.toPath().resolve("postgres/pg_hba.conf"))).containsPattern("(?m)^[^#\\n]*\\btrust\\b");

        ControlPlane cp = closer.later(ControlPlane.start("e2e-cp-pg-trust", dataDir));
        created(cp.admin().post("/pools", "{\"name\": \"converted\"}"));
        assertThat(Files.readString(dataDir.toPath().resolve("postgres/pg_hba.conf")))
                .doesNotContainPattern("(?m)^[^#\\n]*\\btrust\\b");
        Properties noPassword = new Properties();
        noPassword.setProperty("user", "postgres");
        String url = "jdbc:postgresql://127.0.0.1:" + postgresPort(dataDir) + "/postgres";
        assertThatThrownBy(() -> DriverManager.getConnection(url, noPassword).close()).isInstanceOf(SQLException.class);
    }
}
