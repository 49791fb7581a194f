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

    private final String nodeId;
    private final int proxyPort = Ports.free();
    private final int adminPort = Ports.free();
    private final ManagedProcess process;

    private DataPlane(String nodeId, String cpUrls, File cacheDir) {
        this.nodeId = nodeId;
        this.process = ManagedProcess.startJar(nodeId, JAR, Map.of(
                "BALLAST_CP_URLS", cpUrls,
                "BALLAST_DP_TOKEN", ControlPlane.DATAPLANE_TOKEN,
                "BALLAST_NODE_ID", nodeId,
                "BALLAST_LISTEN", "127.0.0.1:" + proxyPort,
                "BALLAST_ADMIN_LISTEN", "127.0.0.1:" + adminPort,
                "BALLAST_CACHE_DIR", cacheDir.getAbsolutePath(),
                "BALLAST_EVENT_LOOPS", "1"));
    }

    static DataPlane start(String nodeId, String cpUrls, File cacheDir) {
        DataPlane dp = launch(nodeId, cpUrls, cacheDir);
        dp.awaitReady();
        return dp;
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
