package io.ballast.e2e;

import static io.ballast.e2e.E2e.awaitServing;
import static io.ballast.e2e.E2e.latestRevision;
import static io.ballast.e2e.E2e.status;
import static io.ballast.e2e.E2e.webPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The data plane's disk cache with real processes: what a restart with no control plane serves. */
class SnapshotCacheEndToEndTest {
    private final Closer closer = new Closer();

    @AfterEach
    void stopEverything() throws Exception {
        closer.close();
    }

    @Test
    void aRestartWithNoControlPlaneServesTheCacheAndACorruptedCacheIsRefused() throws Exception {
        ControlPlane cp = closer.later(ControlPlane.start("e2e-cp-cache", ManagedProcess.tempDir("ballast-e2e-cp-cache")));
        TestBackend one = closer.later(TestBackend.start("one"));
        webPool(cp.admin(), one.port());
        long revision = latestRevision(cp.admin());
        File cacheDir = ManagedProcess.tempDir("ballast-e2e-cache");
        DataPlane first = DataPlane.start("e2e-cached", cp.url(), cacheDir);
        awaitServing(first, "one");
        E2e.awaitApplied(first, revision);
        first.close();
        cp.stop();

        // No control plane anywhere: the restarted node is ready from its cache and serves it.
        DataPlane restarted = closer.later(DataPlane.start("e2e-cached", cp.url(), cacheDir));
        JsonNode status = status(restarted);
        assertThat(status.path("configSource").asText()).isEqualTo("cache");
        assertThat(status.path("appliedRevision").asLong()).isEqualTo(revision);
        assertThat(status.path("controlPlane").path("connected").asBoolean()).isFalse();
        // New processes start their backends INITIAL (health is the health checker's business): the
        // cached route and pool serve as soon as the first probe passes.
        awaitServing(restarted, "one");
        for (int i = 0; i < 10; i++) {
            assertThat(restarted.proxy().get("/from-cache").body()).isEqualTo("one");
        }
        restarted.close();

        // One flipped byte: the cache is refused with a clear log line and the node stays unready.
        Path file = cacheDir.toPath().resolve("snapshot.json");
        String content = Files.readString(file, StandardCharsets.UTF_8);
        Files.writeString(file, content.replace("\"one\"", "\"onE\"").replace("127.0.0.1", "127.0.0.2"), StandardCharsets.UTF_8);
        assertThat(Files.readString(file)).isNotEqualTo(content);
        DataPlane refused = closer.later(DataPlane.launch("e2e-cached", cp.url(), cacheDir));
        await("corrupted cache refused").atMost(Duration.ofSeconds(30)).until(() -> refused.output().contains("refusing corrupted snapshot cache"));
        assertThat(refused.output()).contains("snapshot.json");
        await("admin port answers").atMost(Duration.ofSeconds(30)).until(() -> refused.admin().tryGet("/ready") != null);
        assertThat(refused.isAlive()).isTrue();
        assertThat(refused.admin().get("/ready").statusCode()).isEqualTo(503);
        assertThat(refused.proxy().get("/no-config").statusCode()).isNotEqualTo(200);
    }
}
