package io.ballast.e2e;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The packaged control plane as a process, on its embedded PostgreSQL in {@code dataDir}. HTTPS is on by default in
 * the control plane, so each one gets a free port for it too ({@link #httpsPort()}), unless its settings name one.
 */
final class ControlPlane implements AutoCloseable {
    static final String ADMIN_TOKEN = "e2e-admin-token-0123456789";
    static final String DATAPLANE_TOKEN = "e2e-dataplane-token-0123456789";
    private static final Path JAR = ManagedProcess.ROOT.resolve("control-plane/target/quarkus-app/quarkus-run.jar");

    private final int port;
    private final int httpsPort = Ports.free();
    private final File dataDir;
    private final String name;
    private final SharedDatabase database;
    private final Map<String, String> extraEnv = new HashMap<>();
    private ManagedProcess process;

    private ControlPlane(String name, int port, File dataDir, SharedDatabase database) {
        this.name = name;
        this.port = port;
        this.dataDir = dataDir;
        this.database = database;
    }

    static ControlPlane start(String name, File dataDir) {
        ControlPlane cp = new ControlPlane(name, Ports.free(), dataDir, null);
        cp.start();
        return cp;
    }

    /** A control plane with extra settings (e.g. {@code QUARKUS_HTTP_SSL_PORT}). */
    static ControlPlane start(String name, File dataDir, Map<String, String> extraEnv) {
        ControlPlane cp = new ControlPlane(name, Ports.free(), dataDir, null);
        cp.extraEnv.putAll(extraEnv);
        cp.start();
        return cp;
    }

    /** A control plane on {@code database} (BALLAST_DB_URL) instead of an embedded PostgreSQL of its own. */
    static ControlPlane start(String name, SharedDatabase database) {
        ControlPlane cp = new ControlPlane(name, Ports.free(), ManagedProcess.tempDir("ballast-e2e-" + name), database);
        cp.start();
        return cp;
    }

    void start() {
        Map<String, String> env = new HashMap<>(Map.of(
                "QUARKUS_HTTP_PORT", Integer.toString(port),
                "BALLAST_DATA_DIR", dataDir.getAbsolutePath(),
                "BALLAST_ADMIN_TOKEN", ADMIN_TOKEN,
                "BALLAST_DATAPLANE_TOKEN", DATAPLANE_TOKEN));
        if (database != null) {
            env.put("BALLAST_DB_URL", database.jdbcUrl());
            env.put("BALLAST_DB_USER", SharedDatabase.USER);
            env.put("BALLAST_DB_PASSWORD", SharedDatabase.PASSWORD);
        }
        env.putAll(extraEnv);
        if (!env.containsKey("BALLAST_HTTPS")) {
            env.putIfAbsent("QUARKUS_HTTP_SSL_PORT", Integer.toString(httpsPort));
        }
        process = ManagedProcess.startJar(name, JAR, env);
        Http anonymous = new Http(url(), null);
        await("control plane ready: " + process).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("control plane exited:\n" + process.output());
            }
            HttpResponse<String> ready = anonymous.tryGet("/q/health/ready");
            return ready != null && ready.statusCode() == 200;
        });
    }

    void stop() {
        process.stop();
    }

    /** Crash it (SIGKILL). */
    void kill() {
        process.kill();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The HTTPS port it was given (unless its settings chose another or turned HTTPS off). */
    int httpsPort() {
        return httpsPort;
    }

    Http admin() {
        return new Http(url() + "/api/v1", ADMIN_TOKEN);
    }

    String output() {
        return process.output();
    }

    @Override
    public void close() {
        stop();
    }
}
