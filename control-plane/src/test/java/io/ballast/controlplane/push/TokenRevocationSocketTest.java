package io.ballast.controlplane.push;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Revoking a data-plane token closes the sockets opened with it, at once. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class TokenRevocationSocketTest {
    @TestHTTPResource("/api/v1/dataplanes/connect")
    URI http;

    @Test
    void revokingADataPlaneTokenClosesItsSocketButNotOthers() throws Exception {
        String name = unique("dp");
        String secret = admin().body("{\"name\":\"" + name + "\",\"role\":\"dataplane\"}").post("/api/v1/tokens")
                .then().statusCode(201).extract().path("secret");
        URI ws = URI.create(http.toString().replaceFirst("^http", "ws"));
        try (WireClient revoked = WireClient.open(ws, secret);
             WireClient other = WireClient.open(ws, EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            revoked.send("{\"type\":\"hello\",\"nodeId\":\"" + unique("node") + "\",\"hostname\":\"h\",\"version\":\"t\"}");
            revoked.next("snapshot");
            other.send("{\"type\":\"hello\",\"nodeId\":\"" + unique("node") + "\",\"hostname\":\"h\",\"version\":\"t\"}");
            other.next("snapshot");

            admin().delete("/api/v1/tokens/" + name).then().statusCode(204);
            await().atMost(Duration.ofSeconds(5)).until(revoked::isClosed);
            assertThat(other.isClosed()).isFalse();
        }
    }
}
