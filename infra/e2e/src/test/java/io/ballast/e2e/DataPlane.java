package io.ballast.e2e;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The packaged data-plane jar as a process, with its proxy and admin ports on loopback. */
final class DataPlane implements AutoCloseable {
    private static final Path JAR = ManagedProcess.ROOT.resolve("data-plane/target/ballast-data-plane.jar");

    static final Path LAUNCHER = ManagedProcess.ROOT.resolve("data-plane/bin/ballast-data-plane");

    private final String nodeId;
    private final int proxyPort;
    private final int adminPort = Ports.free();
    private final ManagedProcess process;

    private DataPlane(String nodeId, String cpUrls, File cacheDir) {
        this(nodeId, cpUrls, cacheDir, Ports.free(), Map.of());
    }

    private DataPlane(String nodeId, String cpUrls, File cacheDir, int proxyPort, Map<String, String> extraEnv) {
        this(nodeId, cpUrls, cacheDir, proxyPort, extraEnv, false);
    }

    private DataPlane(String nodeId, String cpUrls, File cacheDir, int proxyPort, Map<String, String> extraEnv, boolean launcher) {
        this.nodeId = nodeId;
        this.proxyPort = proxyPort;
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "BALLAST_CP_URLS", cpUrls,
                "BALLAST_DP_TOKEN", ControlPlane.DATAPLANE_TOKEN,
                "BALLAST_NODE_ID", nodeId,
                "BALLAST_LISTEN", "127.0.0.1:" + proxyPort,
                "BALLAST_ADMIN_LISTEN", "127.0.0.1:" + adminPort,
                "BALLAST_CACHE_DIR", cacheDir.getAbsolutePath(),
                "BALLAST_EVENT_LOOPS", "1",
                // Scenarios that are not about the drain stop their data planes quickly; the drain tests set their own.
                "BALLAST_DRAIN_DELAY", "200ms"));
        env.putAll(extraEnv);
        // Processes started on a shared port may share a node id (successive slots of one host): one log each.
        this.process = launcher ? ManagedProcess.startLauncher(nodeId + "-admin-" + adminPort, LAUNCHER, env)
                : ManagedProcess.startJar(nodeId, JAR, env);
    }

    /**
     * Starts a data plane on a given proxy port with extra settings (e.g. a second process on the port of a first,
     * through SO_REUSEPORT) and waits until it is ready. Started through the launcher {@code data-plane/bin/ballast-data-plane},
     * as an operator or a systemd unit would.
     */
    static DataPlane startOn(String nodeId, String cpUrls, File cacheDir, int proxyPort, Map<String, String> extraEnv) {
        DataPlane dp = new DataPlane(nodeId, cpUrls, cacheDir, proxyPort, extraEnv, true);
        dp.awaitReady();
        return dp;
    }

    static DataPlane start(String nodeId, String cpUrls, File cacheDir) {
        DataPlane dp = launch(nodeId, cpUrls, cacheDir);
        dp.awaitReady();
        return dp;
    }

    /** Starts the process with extra settings, without waiting for it to become ready. */
    static DataPlane launch(String nodeId, String cpUrls, File cacheDir, Map<String, String> extraEnv) {
        return new DataPlane(nodeId, cpUrls, cacheDir, Ports.free(), extraEnv, false);
    }

    /** Starts the process without waiting for it to become ready. */
    static DataPlane launch(String nodeId, String cpUrls, File cacheDir) {
        return new DataPlane(nodeId, cpUrls, cacheDir);
    }

    void awaitReady() {
        DataPlane dp = this;
        Http admin = dp.admin();
        await("data plane ready: " + dp.process).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!dp.process.isAlive()) {
                throw new AssertionError("data plane exited:\n" + dp.process.output());
            }
            HttpResponse<String> ready = admin.tryGet("/ready");
            return ready != null && ready.statusCode() == 200;
        });
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The process id, e.g. to freeze the process with SIGSTOP. */
    long pid() {
        return process.pid();
    }

    Http proxy() {
        return new Http("http://127.0.0.1:" + proxyPort, null);
    }

    Http admin() {
        return new Http("http://127.0.0.1:" + adminPort, null);
    }

    int proxyPort() {
        return proxyPort;
    }

    /** SIGTERM, without waiting: the process drains and exits by itself. */
    void terminate() {
        process.terminate();
    }

    /** Waits for the process to end; true when it did within {@code timeout}. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.awaitExit(timeout);
    }

    /** SIGKILL. */
    void kill() {
        process.kill();
    }

    String nodeId() {
        return nodeId;
    }

    String output() {
        return process.output();
    }

    @Override
    public void close() {
        process.stop();
    }
}
