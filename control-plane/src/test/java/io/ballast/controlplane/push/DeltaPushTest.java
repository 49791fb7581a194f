package io.ballast.controlplane.push;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.controlplane.EmbeddedPostgresResource;
import io.ballast.model.json.BallastJson;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.snapshot.SnapshotChange;
import io.ballast.model.snapshot.SnapshotIndex;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Delta push as the control plane does it, seen from a data plane over the real socket: a node that
 * announces {@code delta} gets the changes from the revision it acked, which applied to its config hash
 * to the stored revision's hash; a {@code resync} gets the full snapshot; a reconnect that already runs
 * the newest revision gets an empty confirming delta; a node that announces nothing gets full snapshots
 * as before; large frames go gzip-compressed only to nodes that announce {@code gzip}.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class DeltaPushTest {
    @TestHTTPResource("/api/v1/dataplanes/connect")
    URI http;

    private URI ws() {
        return URI.create(http.toString().replaceFirst("^http", "ws"));
    }

    private static String hello(String nodeId, String features, Long applied, String hash) {
        return "{\"type\":\"hello\",\"nodeId\":\"%s\",\"version\":\"0.2.0\"%s%s}".formatted(nodeId,
                features == null ? "" : ",\"features\":" + features,
                applied == null ? "" : ",\"appliedRevision\":%d,\"appliedHash\":\"%s\"".formatted(applied, hash));
    }

    private static void ack(WireClient dp, long revision, String hash) throws Exception {
        dp.send("{\"type\":\"ack\",\"revision\":%d,\"hash\":\"%s\"}".formatted(revision, hash));
    }

    private static String storedHash(long revision) {
        return admin().get("/api/v1/revisions/" + revision).then().statusCode(200).extract().path("hash");
    }

    private static SnapshotIndex configOf(JsonNode snapshotFrame) {
        ConfigSnapshot config = ConfigSnapshot.fromJson(snapshotFrame.get("config").toString());
        SnapshotIndex index = SnapshotIndex.of(config);
        assertThat(index.hash()).isEqualTo(snapshotFrame.get("hash").asText());
        return index;
    }

    private static SnapshotIndex apply(SnapshotIndex base, JsonNode delta) throws Exception {
        SnapshotChange change = BallastJson.lenient().treeToValue(delta.get("changes"), SnapshotChange.class);
        SnapshotIndex result = base.apply(change);
        assertThat(result.hash()).as("the delta's result hashes as announced").isEqualTo(delta.get("hash").asText());
        return result;
    }

    @Test
    void aDeltaNodeGetsChangesFromItsAckedRevisionAndAFullSnapshotOnResync() throws Exception {
        String nodeId = unique("delta");
        long revision;
        String hash;
        try (WireClient dp = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            dp.send(hello(nodeId, "[\"delta\",\"unknown-feature\"]", null, null));
            JsonNode first = dp.next("snapshot");
            SnapshotIndex config = configOf(first);
            revision = first.get("revision").asLong();
            ack(dp, revision, config.hash());

            String pool = unique("dpool");
            admin().body(Map.of("name", pool, "backends", List.of(Map.of("host", "10.81.0.1", "port", 80))))
                    .post("/api/v1/pools").then().statusCode(201);
            JsonNode delta = dp.next("delta");
            assertThat(delta.get("baseRevision").asLong()).isEqualTo(revision);
            assertThat(delta.get("baseHash").asText()).isEqualTo(config.hash());
            assertThat(delta.get("changes").get("pools").size()).isEqualTo(1);
            config = apply(config, delta);
            revision = delta.get("revision").asLong();
            assertThat(config.hash()).isEqualTo(storedHash(revision));
            ack(dp, revision, config.hash());

            admin().body(Map.of("host", "10.81.0.2", "port", 80)).post("/api/v1/pools/" + pool + "/backends").then().statusCode(201);
            JsonNode next = dp.next("delta");
            assertThat(next.get("baseRevision").asLong()).isEqualTo(revision);
            // This node could not apply it: it asks for, and gets, the whole snapshot of that revision.
            dp.send("{\"type\":\"resync\",\"revision\":%d,\"reason\":\"test\"}".formatted(next.get("revision").asLong()));
            JsonNode full = dp.next("snapshot");
            assertThat(full.get("revision").asLong()).isEqualTo(next.get("revision").asLong());
            config = configOf(full);
            revision = full.get("revision").asLong();
            hash = config.hash();
            ack(dp, revision, hash);

            admin().delete("/api/v1/pools/" + pool + "?force=true").then().statusCode(204);
            JsonNode removal = dp.next("delta");
            assertThat(removal.get("changes").get("removedPools").get(0).asText()).isEqualTo(pool);
            config = apply(config, removal);
            revision = removal.get("revision").asLong();
            hash = config.hash();
            ack(dp, revision, hash);
        }
        // Back with what it runs: confirmed by an empty delta instead of the whole config again.
        try (WireClient dp = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            dp.send(hello(nodeId, "[\"delta\"]", revision, hash));
            JsonNode confirm = dp.next("delta");
            assertThat(confirm.get("revision").asLong()).isEqualTo(revision);
            assertThat(confirm.get("baseRevision").asLong()).isEqualTo(revision);
            assertThat(confirm.get("hash").asText()).isEqualTo(hash);
        }
    }

    @Test
    void aNodeWithoutFeaturesGetsFullSnapshotsAndOnlyGzipNodesGetCompressedFrames() throws Exception {
        String big = unique("big");
        List<Map<String, Object>> backends = new ArrayList<>();
        for (int i = 0; i < 800; i++) {
            backends.add(Map.of("host", "10.82." + (i / 250) + "." + (1 + i % 250), "port", 8080));
        }
        try (WireClient plain = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN);
             WireClient gzip = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            plain.send(hello(unique("plain"), null, null, null));
            JsonNode first = plain.next("snapshot");
            ack(plain, first.get("revision").asLong(), first.get("hash").asText());
            gzip.send(hello(unique("gzip"), "[\"gzip\"]", null, null));
            gzip.next("snapshot");
            int compressedBefore = gzip.compressedFrames();

            admin().body(Map.of("name", big, "backends", backends)).post("/api/v1/pools").then().statusCode(201);
            JsonNode plainFull = plain.next("snapshot");
            assertThat(configOf(plainFull).pool(big).backends()).hasSize(800);
            JsonNode gzipFull = gzip.next("snapshot");
            assertThat(gzipFull.toString().length()).isGreaterThan(64 * 1024);
            assertThat(configOf(gzipFull).hash()).isEqualTo(plainFull.get("hash").asText());
            assertThat(plain.compressedFrames()).isZero();
            assertThat(gzip.compressedFrames()).isEqualTo(compressedBefore + 1);
        } finally {
            admin().delete("/api/v1/pools/" + big + "?force=true").then().statusCode(204);
        }
    }
}
