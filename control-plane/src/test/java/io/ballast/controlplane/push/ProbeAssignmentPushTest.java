package io.ballast.controlplane.push;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.controlplane.EmbeddedPostgresResource;
import io.ballast.controlplane.fleet.ConnectedDataPlanes;
import io.ballast.model.probe.ProberChoice;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Prober sharding over the real socket: each data plane that announces {@code probe-assignment} is told which
 * backends of a {@code probers: 1} pool it leaves to others (exactly the rendezvous choice over the connected fleet),
 * the assignment follows a data plane that leaves, a prober's health report reaches the others as a relayed
 * verdict, and a data plane without the feature is sent none of it.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class ProbeAssignmentPushTest {
    private static final int BACKENDS = 9;

    @TestHTTPResource("/api/v1/dataplanes/connect")
    URI http;

    @Inject
    ConnectedDataPlanes fleet;

    private URI ws() {
        return URI.create(http.toString().replaceFirst("^http", "ws"));
    }

    private static String hello(String nodeId, boolean probes) {
        return "{\"type\":\"hello\",\"nodeId\":\"%s\",\"version\":\"0.2.0\"%s}".formatted(nodeId,
                probes ? ",\"features\":[\"delta\",\"probe-assignment\"]" : "");
    }

    /** A pool of {@link #BACKENDS} backends each probed by one data plane; returns the backend names. */
    private static List<String> poolWithOneProber(String pool) {
        admin().body("{\"name\":\"" + pool + "\",\"healthCheck\":{\"path\":\"/healthz\",\"probers\":1}}").post("/api/v1/pools")
                .then().statusCode(201);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < BACKENDS; i++) {
            admin().body(Map.of("host", "10.77.0." + (i + 1), "port", 8080)).post("/api/v1/pools/" + pool + "/backends")
                    .then().statusCode(201);
            names.add("10.77.0." + (i + 1) + ":8080");
        }
        return names;
    }

    private static Set<String> relayedIn(JsonNode assignment, String pool) {
        Set<String> out = new TreeSet<>();
        for (JsonNode ref : assignment.get("relayed")) {
            if (ref.get("pool").asText().equals(pool)) {
                out.add(ref.get("backend").asText());
            }
        }
        return out;
    }

    /** The backends of {@code pool} that {@code node} does not probe, by rendezvous hashing over the connected fleet. */
    private Set<String> expectedRelayed(String node, String pool, List<String> backends) {
        List<String> nodes = fleet.ids();
        Set<String> out = new TreeSet<>();
        for (String b : backends) {
            if (!ProberChoice.probers(nodes, ProberChoice.key(pool, b), 1).contains(node)) {
                out.add(b);
            }
        }
        return out;
    }

    /** Waits for {@code dp}'s assignment to be the expected one for the fleet as it is now; returns what it relays. */
    private Set<String> awaitAssignment(WireClient dp, String node, String pool, List<String> backends, Set<String> last)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Set<String> latest = last;
        while (System.nanoTime() < deadline) {
            JsonNode frame = dp.poll("probe-assignment", 500);
            if (frame != null) {
                latest = relayedIn(frame, pool);
            }
            if (latest != null && latest.equals(expectedRelayed(node, pool, backends))) {
                return latest;
            }
        }
        throw new AssertionError(node + " relays " + latest + ", expected " + expectedRelayed(node, pool, backends));
    }

    private static JsonNode verdictFor(WireClient dp, String pool, String backend, boolean healthy) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            JsonNode frame = dp.poll("probe-verdicts", 500);
            if (frame == null) {
                continue;
            }
            for (JsonNode v : frame.get("verdicts")) {
                if (v.get("pool").asText().equals(pool) && v.get("backend").asText().equals(backend)
                        && v.get("healthy").asBoolean() == healthy) {
                    return v;
                }
            }
        }
        throw new AssertionError("no verdict healthy=" + healthy + " for " + backend + " within 20 s");
    }

    private static String report(String pool, String backend, String state, String reason) {
        return "{\"type\":\"health\",\"observations\":[{\"pool\":\"%s\",\"backend\":\"%s\",\"state\":\"%s\",\"reason\":\"%s\",\"at\":%d}]}"
                .formatted(pool, backend, state, reason, System.currentTimeMillis());
    }

    @Test
    void eachBackendHasOneProberTheOthersGetItsVerdictAndALeaveReassigns() throws Exception {
        String pool = unique("probers");
        List<String> backends = poolWithOneProber(pool);
        String a = unique("probe-a");
        String b = unique("probe-b");
        String c = unique("probe-c");
        try (WireClient dpA = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN);
             WireClient dpB = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            dpA.send(hello(a, true));
            dpA.next("snapshot");
            dpB.send(hello(b, true));
            dpB.next("snapshot");
            Set<String> relayedA;
            Set<String> relayedB;
            try (WireClient dpC = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
                dpC.send(hello(c, true));
                dpC.next("snapshot");
                relayedA = awaitAssignment(dpA, a, pool, backends, null);
                relayedB = awaitAssignment(dpB, b, pool, backends, null);
                Set<String> relayedC = awaitAssignment(dpC, c, pool, backends, null);
                // One prober per backend: no backend is probed by two of these, and (with no other data plane
                // connected) each is probed by exactly one.
                for (String backend : backends) {
                    int probing = (relayedA.contains(backend) ? 0 : 1) + (relayedB.contains(backend) ? 0 : 1)
                            + (relayedC.contains(backend) ? 0 : 1);
                    assertThat(probing).as(backend).isLessThanOrEqualTo(1);
                }
                assertThat(relayedA.size() + relayedB.size() + relayedC.size()).isGreaterThanOrEqualTo(2 * BACKENDS);
            }
            // c left: its backends move to a and b (and nothing else moves: rendezvous hashing).
            Set<String> nextA = awaitAssignment(dpA, a, pool, backends, relayedA);
            Set<String> nextB = awaitAssignment(dpB, b, pool, backends, relayedB);
            assertThat(relayedA).containsAll(nextA);
            assertThat(relayedB).containsAll(nextB);

            // a probes some backend that b relays: a's report of it reaches b as the verdict.
            String probedByA = backends.stream().filter(x -> !nextA.contains(x) && nextB.contains(x)).findFirst()
                    .orElseThrow(() -> new AssertionError("a probes none of b's relayed backends: " + nextA + " / " + nextB));
            dpA.send(report(pool, probedByA, "unhealthy", "unhealthy:Timeout"));
            assertThat(verdictFor(dpB, pool, probedByA, false).get("reason").asText()).isEqualTo("unhealthy:Timeout");
            dpA.send(report(pool, probedByA, "healthy", "healthy"));
            verdictFor(dpB, pool, probedByA, true);
        }
    }

    @Test
    void probersOutsideOneToAThousandIsRefusedAtTheField() {
        for (int bad : new int[] {0, -1, 1001}) {
            admin().body("{\"name\":\"" + unique("p") + "\",\"healthCheck\":{\"probers\":" + bad + "}}").post("/api/v1/pools")
                    .then().statusCode(422).body("errors.field", org.hamcrest.Matchers.hasItem("healthCheck.probers"));
        }
        String pool = unique("p");
        admin().body("{\"name\":\"" + pool + "\",\"healthCheck\":{\"probers\":2}}").post("/api/v1/pools").then().statusCode(201)
                .body("healthCheck.probers", org.hamcrest.Matchers.equalTo(2));
    }

    @Test
    void aDataPlaneThatDoesNotAnnounceTheFeatureGetsNoAssignment() throws Exception {
        poolWithOneProber(unique("probers-old"));
        try (WireClient old = WireClient.open(ws(), EmbeddedPostgresResource.DATAPLANE_TOKEN)) {
            old.send(hello(unique("probe-old"), false));
            old.next("snapshot");
            assertThat(old.poll("probe-assignment", 4_000)).isNull();
            assertThat(old.poll("probe-verdicts", 1_000)).isNull();
        }
    }
}
