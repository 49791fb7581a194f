package io.ballast.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;

/**
 * The soak's data plane: started through the shipped launcher ({@code data-plane/bin/ballast-data-plane}, so the
 * memory figures are those of the shipped JVM settings), and read only through {@code /status} requests that close
 * their connection, so the soak's own polling leaves no socket open in the process it counts the files of.
 */
final class SoakDataPlane implements AutoCloseable {
    private final String nodeId;
    private final int proxyPort = Ports.free();
    private final int adminPort = Ports.free();
    private final ManagedProcess process;

    private SoakDataPlane(String nodeId, String controlPlaneUrls) {
        this.nodeId = nodeId;
        this.process = ManagedProcess.startLauncher(nodeId, DataPlane.LAUNCHER, Map.of(
                "BALLAST_CP_URLS", controlPlaneUrls,
                "BALLAST_DP_TOKEN", ControlPlane.DATAPLANE_TOKEN,
                "BALLAST_NODE_ID", nodeId,
                "BALLAST_LISTEN", "127.0.0.1:" + proxyPort,
                "BALLAST_ADMIN_LISTEN", "127.0.0.1:" + adminPort,
                "BALLAST_CACHE_DIR", ManagedProcess.tempDir("ballast-e2e-" + nodeId).getAbsolutePath(),
                "BALLAST_EVENT_LOOPS", "1",
                "BALLAST_DRAIN_DELAY", "200ms"));
    }

    static SoakDataPlane start(String nodeId, String controlPlaneUrls) {
        return new SoakDataPlane(nodeId, controlPlaneUrls);
    }

    /** Its {@code /status}, or null while it does not answer. */
    JsonNode statusOrNull() {
        if (!process.isAlive()) {
            throw new AssertionError("data plane exited:\n" + process.output());
        }
        try {
            RawHttpConnection.Answer answer = RawHttpConnection.getOnce("127.0.0.1", adminPort, "/status", 5_000);
            return answer.status() == 200 ? E2e.JSON.readTree(answer.body()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The weight and health its {@code /status} reports for {@code backend} of {@code pool}, or a missing node. */
    static JsonNode backend(JsonNode status, String pool, String backend) {
        for (JsonNode p : status.path("pools")) {
            if (p.path("name").asText().equals(pool)) {
                for (JsonNode b : p.path("backends")) {
                    if (b.path("name").asText().equals(backend)) {
                        return b;
                    }
                }
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    long pid() {
        return process.pid();
    }

    int proxyPort() {
        return proxyPort;
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
