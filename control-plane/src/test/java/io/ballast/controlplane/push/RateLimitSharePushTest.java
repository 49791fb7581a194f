package io.ballast.controlplane.push;

import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Fleet rate limits apportioned over the real socket: a data plane that announces {@code rate-limit-share} is
 * told its share after its hello, every connected one is told the new share when another joins or leaves, and a
 * data plane that does not announce the feature is sent nothing new.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class RateLimitSharePushTest {
    @TestHTTPResource("/api/v1/dataplanes/connect")
    URI http;

    private URI ws() {
        return URI.create(http.toString().replaceFirst("^http", "ws"));
    }

    private static String hello(String nodeId, boolean shares) {
        return "{\"type\":\"hello\",\"nodeId\":\"%s\",\"version\":\"0.2.0\"%s}".formatted(nodeId,
                shares ? ",\"features\":[\"delta\",\"rate-limit-share\"]" : "");
    }

    /** The next share whose count is {@code dataPlanes}, skipping older ones a recount sent meanwhile. */
    private static JsonNode shareOf(WireClient dp, int dataPlanes) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            JsonNode share = dp.poll("rate-limit-share", 1_000);
            if (share != null && share.get("dataPlanes").asInt() == dataPlanes) {
                return share;
            }
        }
        throw new AssertionError("no share among " + dataPlanes + " data planes within 20 s");
    }

    @Test
    void sharesFollowTheDataPlanesThatJoinAndLeave() throws Exception {
        try (WireClient first = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            first.send(hello(unique("share-a"), true));
            first.next("snapshot");
            JsonNode alone = first.next("rate-limit-share");
            int base = alone.get("dataPlanes").asInt();
            assertThat(base).as("counts at least itself").isGreaterThanOrEqualTo(1);
            assertThat(alone.get("share").asDouble()).isEqualTo(1.0 / base);
            try (WireClient second = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
                second.send(hello(unique("share-b"), true));
                assertThat(shareOf(second, base + 1).get("share").asDouble()).isEqualTo(1.0 / (base + 1));
                assertThat(shareOf(first, base + 1).get("share").asDouble()).as("re-apportioned on a join").isEqualTo(1.0 / (base + 1));
            }
            assertThat(shareOf(first, base).get("share").asDouble()).as("re-apportioned on a leave").isEqualTo(1.0 / base);
        }
    }

    @Test
    void aDataPlaneThatDoesNotAnnounceTheFeatureGetsNoShare() throws Exception {
        try (WireClient old = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            old.send(hello(unique("share-old"), false));
            old.next("snapshot");
            assertThat(old.poll("rate-limit-share", 4_000)).isNull();
        }
    }
}
